import { Anchor, Button, Group, Paper, ScrollArea, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconCalendarUser, IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import type { TodayItem, TodayView } from '../api/encounters.ts';
import { StartConsultationButton } from './StartConsultationButton.tsx';
import { TodayStateBadge } from './TodayStateBadge.tsx';

/** A clock time (14:05) in the clinic's timezone. */
function useClock() {
  const f = useFormatters();
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: f.timezone,
  });
  return (iso: string) => format.format(new Date(iso));
}

/** The one action that fits where the patient stands. */
function ItemAction({ item }: { item: TodayItem }) {
  const { t } = useTranslation('encounters');
  if (item.state === 'in_consultation' && item.encounterId)
    return (
      <Button
        component={Link}
        to={`/encounters/${item.encounterId}`}
        size="xs"
        variant="light"
        leftSection={<IconPlayerPlay size={14} aria-hidden />}
      >
        {t('start.resume')}
      </Button>
    );
  if (item.state === 'waiting') {
    if (item.ticketId && (item.ticketStatus === 'called' || item.ticketStatus === 'in_service'))
      return <StartConsultationButton ticketId={item.ticketId} />;
    if (item.appointmentId) return <StartConsultationButton appointmentId={item.appointmentId} />;
  }
  return (
    <Anchor component={Link} to={`/patients/${item.patient.id}/chart`} size="sm">
      {t('today.openChart')}
    </Anchor>
  );
}

/**
 * The practitioner's patients of the day, in time order: time, name and MRN, state, and the action
 * that fits (start, resume, open the chart). `compact` for the home page's panel.
 */
export function TodayList({
  today,
  isLoading,
  error,
  onRetry,
  compact,
}: {
  today: TodayView | undefined;
  isLoading: boolean;
  error: unknown;
  onRetry: () => void;
  compact?: boolean;
}) {
  const { t } = useTranslation('encounters');
  const clock = useClock();
  if (error) return <QueryError error={error} onRetry={onRetry} />;
  if (isLoading || !today)
    return (
      <Stack gap="xs">
        <Skeleton h={28} />
        <Skeleton h={28} />
        <Skeleton h={28} />
      </Stack>
    );
  if (today.data.length === 0)
    return (
      <EmptyState
        compact={compact}
        icon={<IconCalendarUser size={22} />}
        title={t('today.emptyTitle')}
        description={t('today.empty')}
      />
    );
  return (
    <Paper p={0} withBorder={!compact} style={{ overflow: 'hidden' }}>
      <ScrollArea type="auto">
        <Table striped highlightOnHover miw={compact ? 420 : 560} data-testid="today-list">
          <caption>
            <VisuallyHidden>{t('today.listLabel')}</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={70}>
                {t('today.time')}
              </Table.Th>
              <Table.Th scope="col">{t('today.patient')}</Table.Th>
              <Table.Th scope="col" w={150}>
                {t('today.state')}
              </Table.Th>
              <Table.Th scope="col" w={200}>
                {t('today.action')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {today.data.map((item) => (
              <Table.Tr
                key={`${item.appointmentId ?? item.visitId ?? item.encounterId}-${item.patient.id}`}
                data-testid={`today-${item.patient.mrn}`}
                data-state={item.state}
              >
                <Table.Td>
                  <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {clock(item.time)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    <Anchor component={Link} to={`/patients/${item.patient.id}/chart`} size="sm" fw={600}>
                      {item.patient.name}
                    </Anchor>
                    <Group gap={6} wrap="wrap">
                      <Text size="xs" c="dimmed" ff="monospace">
                        {item.patient.mrn}
                      </Text>
                      {item.kind === 'walk_in' && (
                        <Text size="xs" c="dimmed">
                          · {t('today.walkIn')}
                        </Text>
                      )}
                      {item.reason && !compact && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          · {item.reason}
                        </Text>
                      )}
                    </Group>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <TodayStateBadge item={item} />
                    {item.ticketCode && item.state !== 'done' && (
                      <Text size="xs" c="dimmed">
                        {t('today.ticket', { code: item.ticketCode })}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <ItemAction item={item} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Paper>
  );
}

/** "3 waiting · 1 in consultation · 4 done". */
export function TodayCounts({ today }: { today: TodayView }) {
  const { t } = useTranslation('encounters');
  const count = (s: TodayItem['state']) => today.data.filter((i) => i.state === s).length;
  return (
    <Text size="sm" c="dimmed" data-testid="today-counts">
      {t('today.counts', { waiting: count('waiting'), inConsultation: count('in_consultation'), done: count('done') })}
    </Text>
  );
}
