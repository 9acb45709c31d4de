import { Anchor, Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { queueKeys, queueQueryFn, type QueueResponse, type ServicePoint } from '../api/queue.ts';
import { minutesBetween, useNow } from '../lib/time.ts';
import { PriorityBadge } from './PriorityBadge.tsx';
import { servicePointName } from './ServicePointSelect.tsx';

/**
 * The queues of several service points at once (the same queries as the queue page, so realtime
 * moves refresh them): what the front desk and the home panels show of who waits.
 */
export function useQueues(servicePoints: ServicePoint[]) {
  const api = useApi();
  return useQueries({
    queries: servicePoints.map((sp) => ({
      queryKey: queueKeys.queue(sp.id),
      queryFn: ({ signal }: { signal: AbortSignal }) => queueQueryFn(api, sp.id, signal),
      refetchInterval: 60_000,
    })),
  });
}

/** Who waits now at each active service point: ticket, patient, priority, time waited; live. */
export function WaitingBoard({ servicePoints, compact = false }: { servicePoints: ServicePoint[]; compact?: boolean }) {
  const { t } = useTranslation('queue');
  const { can } = useAuth();
  const active = servicePoints.filter((sp) => sp.active);
  const queues = useQueues(active);
  const now = useNow();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: compact ? 2 : 3 }} spacing="sm" data-testid="waiting-board">
      {active.map((sp, i) => {
        const q = queues[i];
        const data: QueueResponse | undefined = q?.data;
        const waiting = (data?.data ?? []).filter((tk) => tk.status === 'waiting');
        const name = servicePointName(sp, t);
        return (
          <Paper key={sp.id} withBorder p="sm" radius="md" data-testid={`waiting-${sp.code}`}>
            <Group justify="space-between" wrap="nowrap" mb={waiting.length ? 'xs' : 0}>
              <Title order={3} size="h6">
                {can('queue:read') ? (
                  <Anchor
                    component={Link}
                    to={`/queue?sp=${sp.id}`}
                    aria-label={t('frontDesk.waiting.openQueue', { servicePoint: name })}
                  >
                    {name}
                  </Anchor>
                ) : (
                  name
                )}
              </Title>
              <Badge variant={waiting.length ? 'light' : 'outline'} color={waiting.length ? 'brand' : 'gray'}>
                {t('frontDesk.waiting.count', { count: waiting.length })}
              </Badge>
            </Group>
            {q?.isPending ? (
              <Skeleton h={24} />
            ) : waiting.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('frontDesk.waiting.nobody')}
              </Text>
            ) : (
              <Table verticalSpacing={4} horizontalSpacing={6} fz="sm" layout="fixed">
                <caption>
                  <VisuallyHidden>{t('frontDesk.waiting.caption', { servicePoint: name })}</VisuallyHidden>
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={64}>{t('frontDesk.waiting.ticket')}</Table.Th>
                    <Table.Th>{t('frontDesk.waiting.patient')}</Table.Th>
                    <Table.Th w={64} ta="right">
                      {t('frontDesk.waiting.waited')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {waiting.slice(0, compact ? 4 : 8).map((tk) => (
                    <Table.Tr key={tk.id}>
                      <Table.Td ff="monospace" fw={700}>
                        {tk.code}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm" truncate="end" title={`${tk.patient.name} · ${tk.patient.mrn}`}>
                            {tk.patient.name}
                          </Text>
                          {tk.priority !== 'normal' && <PriorityBadge priority={tk.priority} size="xs" />}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{t('queue.minutes', { count: minutesBetween(tk.arrivedAt, now) })}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

/** Stack helper for a titled section. */
export function WaitingSection({ servicePoints }: { servicePoints: ServicePoint[] }) {
  const { t } = useTranslation('queue');
  return (
    <Stack gap="xs" mb="md" component="section" aria-labelledby="front-desk-waiting">
      <div>
        <Title order={2} size="h4" id="front-desk-waiting">
          {t('frontDesk.waiting.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('frontDesk.waiting.subtitle')}
        </Text>
      </div>
      <WaitingBoard servicePoints={servicePoints} compact />
    </Stack>
  );
}
