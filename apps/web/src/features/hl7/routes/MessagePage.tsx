import { Alert, Anchor, Badge, Button, Code, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useMessage, useReplay, type MessageDetail } from '../api/hl7.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';

const REPLAYABLE = new Set(['error', 'unmatched', 'rejected']);

/** One message of the log: its status and problem, its segments field by field (PID-5…), the raw text and the ACK. */
export function MessagePage() {
  const { t } = useTranslation('hl7');
  const { id = '' } = useParams();
  const message = useMessage(id);
  return (
    <>
      <Anchor
        component={Link}
        to="/hl7/messages"
        size="sm"
        mb="xs"
        display="inline-flex"
        style={{ alignItems: 'center', gap: 4 }}
      >
        <IconArrowLeft size={14} aria-hidden /> {t('detail.back')}
      </Anchor>
      {message.isError ? (
        <QueryError error={message.error} onRetry={() => void message.refetch()} />
      ) : !message.data ? (
        <Skeleton h={300} />
      ) : (
        <Detail m={message.data} />
      )}
    </>
  );
}

function Detail({ m }: { m: MessageDetail }) {
  const { t } = useTranslation('hl7');
  const f = useFormatters();
  const { can } = useAuth();
  const replay = useReplay();
  const sender = [m.sendingApplication, m.sendingFacility].filter(Boolean).join(' · ');
  const doReplay = () =>
    replay.mutate(m.id, {
      onSuccess: (r) => notifySuccess(t('detail.replayed', { status: t(`status.${r.status}`) })),
      onError: (err) => notifyError(err, t),
    });

  return (
    <Stack gap="md">
      <PageHeader
        title={
          <Group gap="sm">
            <span>{m.messageType ? t('detail.title', { type: m.messageType, control: m.controlId }) : t('detail.untitled')}</span>
            <StatusBadge status={m.status} />
            {m.ackCode && (
              <Badge variant="outline" color="gray" ff="monospace">
                {m.ackCode}
              </Badge>
            )}
          </Group>
        }
        description={[
          sender && t('detail.from', { sender }),
          t('detail.received', { when: f.dateTime(m.receivedAt) }),
          t('detail.attempts', { count: m.attempts }),
          t('detail.deliveries', { count: m.deliveries }),
        ]
          .filter(Boolean)
          .join(' · ')}
        actions={
          can('hl7:manage') &&
          m.direction === 'in' &&
          REPLAYABLE.has(m.status) && (
            <Button
              leftSection={<IconRefresh size={16} aria-hidden />}
              onClick={doReplay}
              loading={replay.isPending}
              title={t('detail.replayHint')}
            >
              {t('detail.replay')}
            </Button>
          )
        }
      />
      {m.error && (
        <Alert
          color={m.status === 'unmatched' ? 'orange' : 'red'}
          icon={<IconAlertTriangle size={18} aria-hidden />}
          title={m.status === 'unmatched' ? t('detail.waiting') : t('detail.problem')}
        >
          {m.error}
        </Alert>
      )}
      <Group gap="lg" wrap="wrap">
        {m.patient && (
          <Anchor component={Link} to={`/patients/${m.patient.id}`}>
            {t('detail.openPatient')}: {m.patient.name} ({m.patient.mrn})
          </Anchor>
        )}
        {m.patientIdentifier && <Text size="sm">{t('detail.identifier', { id: m.patientIdentifier })}</Text>}
        {(m.placerOrderNumber || m.fillerOrderNumber) && (
          <Text size="sm">
            {t('detail.order', { number: [m.placerOrderNumber, m.fillerOrderNumber].filter(Boolean).join(' / ') })}
          </Text>
        )}
        {m.resolvedBy && m.resolvedAt && (
          <Text size="sm" c="dimmed">
            {t('detail.resolvedBy', { name: m.resolvedBy.name, when: f.dateTime(m.resolvedAt) })}
          </Text>
        )}
      </Group>

      <Paper p="md">
        <Title order={2} size="h4" mb="sm">
          {t('detail.segments')}
        </Title>
        {m.segments.length === 0 ? (
          <Text c="dimmed">{t('detail.noSegments')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped withTableBorder data-testid="hl7-segments">
              <caption style={{ captionSide: 'top', textAlign: 'start' }}>
                <Text size="xs" c="dimmed">
                  {t('detail.segmentsCaption')}
                </Text>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={110}>{t('detail.position')}</Table.Th>
                  <Table.Th>{t('detail.value')}</Table.Th>
                  <Table.Th>{t('detail.components')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {m.segments.map((s, i) => [
                  <Table.Tr key={`${i}-name`}>
                    <Table.Th colSpan={3} scope="rowgroup" bg="var(--mantine-color-default-hover)">
                      <Text ff="monospace" fw={700} size="sm">
                        {s.name}
                      </Text>
                    </Table.Th>
                  </Table.Tr>,
                  ...s.fields.map((field) => (
                    <Table.Tr key={`${i}-${field.position}`}>
                      <Table.Td>
                        <Code>{field.position}</Code>
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>
                        <Text size="sm" ff="monospace">
                          {field.value}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {field.components.length > 1 && (
                          <Group gap={4} wrap="wrap">
                            {field.components.map((c, n) =>
                              c ? (
                                <Badge key={n} variant="default" tt="none" fw={400} size="sm">
                                  {`.${n + 1} ${c}`}
                                </Badge>
                              ) : null,
                            )}
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  )),
                ])}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Paper p="md">
        <Title order={2} size="h4" mb="sm">
          {t('detail.raw')}
        </Title>
        <Code
          block
          data-testid="hl7-raw"
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 320, overflow: 'auto' }}
        >
          {m.raw.replace(/\r/g, '\n')}
        </Code>
      </Paper>
      <Paper p="md">
        <Title order={2} size="h4" mb="sm">
          {t('detail.ackTitle')}
        </Title>
        {m.ack ? (
          <Code block data-testid="hl7-ack" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {m.ack.replace(/\r/g, '\n')}
          </Code>
        ) : (
          <Text c="dimmed">{t('detail.noAck')}</Text>
        )}
      </Paper>
    </Stack>
  );
}
