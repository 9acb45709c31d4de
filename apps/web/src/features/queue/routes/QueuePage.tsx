import { useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Kbd,
  Menu,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import {
  IconArrowBackUp,
  IconCheck,
  IconDots,
  IconHeartbeat,
  IconMapPin,
  IconPlayerPlay,
  IconPlayerSkipForward,
  IconSettings,
  IconSpeakerphone,
  IconTransfer,
  IconUsers,
} from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { VitalsForm } from '../../chart/index.ts';
import { StartConsultationButton } from '../../encounters/index.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifySuccess } from '../../../lib/errors.ts';
import { useServicePointRoom } from '../../../lib/realtime/RealtimeProvider.tsx';
import {
  useCallNext,
  useQueue,
  useServicePoints,
  useTicketAction,
  type QueueTicket,
  type ServicePoint,
  type TicketAction,
} from '../api/queue.ts';
import { PriorityBadge } from '../components/PriorityBadge.tsx';
import { ServicePointSelect } from '../components/ServicePointSelect.tsx';
import { TicketStatusBadge } from '../components/TicketStatusBadge.tsx';
import { TransferModal } from '../components/TransferModal.tsx';
import { devicePrefs } from '../lib/devicePrefs.ts';
import { notifyQueueError } from '../lib/queueErrors.ts';
import { clockTime, minutesBetween, roomLabel, useNow } from '../lib/time.ts';

/** The queue of one service point; the service point chosen is remembered per workstation and clinic. */
export function QueuePage() {
  const { activeClinic } = useAuth();
  // A clinic switch starts over: other service points, other remembered choice.
  return <QueueBoard key={activeClinic?.id ?? 'none'} clinicId={activeClinic?.id ?? ''} timezone={activeClinic?.timezone} />;
}

function QueueBoard({ clinicId, timezone }: { clinicId: string; timezone: string | undefined }) {
  const { t } = useTranslation('queue');
  const { can } = useAuth();
  const servicePoints = useServicePoints();
  const all = servicePoints.data ?? [];
  const active = all.filter((sp) => sp.active);
  // a link from the front desk or the home page names the service point (?sp=); else the one remembered here
  const [params] = useSearchParams();
  const [chosen, setChosen] = useState<string | null>(() => params.get('sp') ?? devicePrefs.servicePoint(clinicId));
  const selected = active.find((sp) => sp.id === chosen) ?? null;
  const [room, setRoom] = useState(() => (chosen ? (devicePrefs.room(chosen) ?? '') : ''));

  const choose = (id: string | null) => {
    // Leave the picker: the board's one-key shortcuts (N for "call next") do not fire inside a field.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    setChosen(id);
    devicePrefs.setServicePoint(clinicId, id);
    setRoom(id ? (devicePrefs.room(id) ?? '') : '');
  };

  return (
    <>
      <PageHeader title={t('queue.title')} description={t('queue.subtitle')} />
      <Paper p="sm" mb="md">
        <Group align="flex-end" gap="sm" wrap="wrap">
          {servicePoints.isPending ? (
            <Skeleton h={60} w={320} />
          ) : (
            <ServicePointSelect
              servicePoints={active}
              value={selected?.id ?? null}
              onChange={choose}
              description={t('queue.fields.servicePointHelp')}
              w={320}
              data-testid="queue-service-point"
            />
          )}
          {selected && can('queue:write') && (
            <TextInput
              label={t('queue.fields.room')}
              description={t('queue.fields.roomHelp')}
              placeholder={selected.room ?? ''}
              value={room}
              onChange={(e) => {
                setRoom(e.currentTarget.value);
                devicePrefs.setRoom(selected.id, e.currentTarget.value);
              }}
              leftSection={<IconMapPin size={16} aria-hidden />}
              w={220}
            />
          )}
        </Group>
      </Paper>

      {servicePoints.isError ? (
        <QueryError error={servicePoints.error} onRetry={() => void servicePoints.refetch()} />
      ) : servicePoints.isPending ? (
        <Skeleton h={320} radius="md" />
      ) : active.length === 0 ? (
        <EmptyState
          icon={<IconSettings />}
          title={t('queue.empty.noServicePointsTitle')}
          description={t(can('settings:write') ? 'queue.empty.noServicePointsAdmin' : 'queue.empty.noServicePoints')}
          action={
            can('settings:write') && (
              <Button component={Link} to="/admin/service-points" variant="light">
                {t('servicePoints.title')}
              </Button>
            )
          }
        />
      ) : !selected ? (
        <EmptyState icon={<IconMapPin />} title={t('queue.empty.chooseTitle')} description={t('queue.empty.choose')} />
      ) : (
        <ServicePointQueue servicePoint={selected} servicePoints={active} room={room} timezone={timezone} />
      )}
    </>
  );
}

function ServicePointQueue({
  servicePoint,
  servicePoints,
  room,
  timezone,
}: {
  servicePoint: ServicePoint;
  servicePoints: ServicePoint[];
  room: string;
  timezone: string | undefined;
}) {
  const { t } = useTranslation('queue');
  const { can } = useAuth();
  const canWrite = can('queue:write');
  const consultation = servicePoint.kind === 'consultation';
  // at a triage point the nurse records the called patient's vitals from the queue, then sends them on
  const triage = servicePoint.kind === 'triage' && can('chart:write');
  const [measuring, setMeasuring] = useState<QueueTicket | null>(null);
  const vitalsButton = (ticket: QueueTicket) =>
    triage && (
      <Button
        size="xs"
        variant="light"
        leftSection={<IconHeartbeat size={14} aria-hidden />}
        onClick={() => setMeasuring(ticket)}
        aria-label={t('queue.actions.vitalsFor', { code: ticket.code })}
      >
        {t('queue.actions.vitals')}
      </Button>
    );
  const queue = useQueue(servicePoint.id);
  const joined = useServicePointRoom(servicePoint.id);
  const callNext = useCallNext();
  const action = useTicketAction(servicePoint.id);
  const [transferring, setTransferring] = useState<QueueTicket | null>(null);
  const now = useNow();
  const roomToSend = room.trim() || undefined;

  const tickets = queue.data?.data ?? [];
  const waiting = tickets.filter((x) => x.status === 'waiting');
  const called = tickets.filter((x) => x.status === 'called');
  const inService = tickets.filter((x) => x.status === 'in_service');
  const finished = tickets.filter((x) => x.status === 'done' || x.status === 'skipped' || x.status === 'transferred');

  const doCallNext = () => {
    if (!canWrite || callNext.isPending) return;
    callNext.mutate(
      { servicePointId: servicePoint.id, room: roomToSend },
      {
        onSuccess: (ticket) =>
          notifySuccess(
            t('queue.calledToast', {
              code: ticket.code,
              room: roomLabel(ticket.room ?? servicePoint.room, t, servicePoint.name),
            }),
          ),
        onError: (err) => notifyQueueError(err, t),
      },
    );
  };
  useHotkeys([['n', doCallNext]]);

  const run = (ticket: QueueTicket, act: TicketAction) =>
    action.mutate(
      { ticketId: ticket.id, action: act, room: roomToSend },
      {
        onSuccess: () => {
          if (act === 'call')
            notifySuccess(
              t('queue.calledToast', {
                code: ticket.code,
                room: roomLabel(roomToSend ?? servicePoint.room, t, servicePoint.name),
              }),
            );
        },
        onError: (err) => notifyQueueError(err, t),
      },
    );
  const busy = (ticket: QueueTicket) => action.isPending && action.variables?.ticketId === ticket.id;

  const moreMenu = (ticket: QueueTicket, items: { act: TicketAction | 'transfer'; icon: ReactNode }[]) => (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="default" aria-label={t('queue.moreActions', { code: ticket.code })} disabled={busy(ticket)}>
          <IconDots size={16} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {items.map(({ act, icon }) => (
          <Menu.Item
            key={act}
            leftSection={icon}
            onClick={() => (act === 'transfer' ? setTransferring(ticket) : run(ticket, act))}
          >
            {t(`queue.actions.${act}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );

  const patientCell = (ticket: QueueTicket) => (
    <Stack gap={0}>
      {can('patients:read') ? (
        <Anchor component={Link} to={`/patients/${ticket.patient.id}`} size="sm" fw={600}>
          {ticket.patient.name}
        </Anchor>
      ) : (
        <Text size="sm" fw={600}>
          {ticket.patient.name}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {ticket.patient.mrn} · {t(`sex.${ticket.patient.sex}`)}
        {ticket.patient.age !== null ? ` · ${t('common.ageYears', { count: ticket.patient.age })}` : ''}
      </Text>
      {ticket.note && (
        <Text size="xs" c="orange.9" data-testid="ticket-note">
          {t('queue.transfer.noteLabel')}: {ticket.note}
        </Text>
      )}
    </Stack>
  );

  if (queue.isError) return <QueryError error={queue.error} onRetry={() => void queue.refetch()} />;

  const stats = queue.data?.stats;
  return (
    <Stack gap="md" data-testid="queue-board">
      <Paper p="md">
        <Group justify="space-between" wrap="wrap" gap="md">
          <Group gap="lg" wrap="wrap">
            <Stat label={t('queue.stats.waiting')} value={stats?.waiting ?? waiting.length} loading={queue.isPending} />
            <Stat label={t('queue.stats.called')} value={stats?.called ?? called.length} loading={queue.isPending} />
            <Stat label={t('queue.stats.inService')} value={stats?.inService ?? inService.length} loading={queue.isPending} />
            <Stat label={t('queue.stats.done')} value={stats?.done ?? 0} loading={queue.isPending} />
            <Stat
              label={t('queue.stats.meanService')}
              value={
                stats?.meanServiceMinutes != null ? t('queue.minutes', { count: Math.round(stats.meanServiceMinutes) }) : '—'
              }
              loading={queue.isPending}
            />
          </Group>
          {canWrite && (
            <Button
              size="lg"
              leftSection={<IconSpeakerphone size={22} aria-hidden />}
              rightSection={
                <Kbd size="sm" aria-hidden>
                  N
                </Kbd>
              }
              onClick={doCallNext}
              loading={callNext.isPending}
              disabled={!queue.isPending && waiting.length === 0}
              aria-keyshortcuts="n"
              data-testid="call-next"
            >
              {t('queue.callNext')}
            </Button>
          )}
        </Group>
      </Paper>
      {joined === false && (
        <Alert color="orange" title={t('queue.notLiveTitle')}>
          {t('queue.notLive')}
        </Alert>
      )}

      {/* the waiting list, a table, gets the wider column */}
      <Grid gutter="md" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Section
            title={t('queue.sections.waiting')}
            count={waiting.length}
            testId="queue-waiting"
            loading={queue.isPending}
            empty={t('queue.empty.waiting')}
          >
            <Table verticalSpacing={8}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" miw={96}>
                    {t('queue.columns.ticket')}
                  </Table.Th>
                  <Table.Th scope="col">{t('queue.columns.patient')}</Table.Th>
                  <Table.Th scope="col">{t('queue.columns.waited')}</Table.Th>
                  <Table.Th scope="col">{t('queue.columns.estimate')}</Table.Th>
                  {canWrite && (
                    <Table.Th scope="col" ta="right">
                      {t('common.actions')}
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {waiting.map((ticket) => (
                  <Table.Tr key={ticket.id} data-testid={`ticket-${ticket.code}`}>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <Text ff="monospace" fw={700} fz="lg" style={{ whiteSpace: 'nowrap' }}>
                          {ticket.code}
                        </Text>
                        <PriorityBadge priority={ticket.priority} size="xs" />
                      </Stack>
                    </Table.Td>
                    <Table.Td>{patientCell(ticket)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t('queue.minutes', { count: minutesBetween(ticket.arrivedAt, now) })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('queue.arrivedAt', { time: clockTime(ticket.arrivedAt, timezone) })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {ticket.estimatedWaitMinutes != null
                          ? t('queue.estimate', { count: Math.round(ticket.estimatedWaitMinutes) })
                          : '—'}
                      </Text>
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <Group gap={6} justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconSpeakerphone size={14} aria-hidden />}
                            onClick={() => run(ticket, 'call')}
                            loading={busy(ticket)}
                            aria-label={t('queue.actions.callTicket', { code: ticket.code })}
                          >
                            {t('queue.actions.call')}
                          </Button>
                          {moreMenu(ticket, [
                            { act: 'skip', icon: <IconPlayerSkipForward size={14} aria-hidden /> },
                            { act: 'transfer', icon: <IconTransfer size={14} aria-hidden /> },
                          ])}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section
              title={t('queue.sections.called')}
              count={called.length}
              testId="queue-called"
              loading={queue.isPending}
              skeletonRows={2}
              empty={t('queue.empty.called')}
            >
              <Stack gap={0}>
                {called.map((ticket) => (
                  <TicketLine
                    key={ticket.id}
                    ticket={ticket}
                    lead={<PriorityBadge priority={ticket.priority} size="xs" />}
                    patient={patientCell(ticket)}
                    when={t('queue.calledAgo', {
                      count: ticket.calledAt ? minutesBetween(ticket.calledAt, now) : 0,
                      room: roomLabel(ticket.room ?? servicePoint.room, t),
                    })}
                  >
                    {canWrite && (
                      <>
                        {vitalsButton(ticket)}
                        {/* at a consultation point, starting the consultation serves the ticket: one primary action */}
                        {consultation ? (
                          <StartConsultationButton
                            ticketId={ticket.id}
                            aria-label={t('encounters:start.buttonFor', { code: ticket.code })}
                          />
                        ) : (
                          <Button
                            size="xs"
                            leftSection={<IconPlayerPlay size={14} aria-hidden />}
                            onClick={() => run(ticket, 'start')}
                            loading={busy(ticket)}
                            aria-label={t('queue.actions.startTicket', { code: ticket.code })}
                          >
                            {t('queue.actions.start')}
                          </Button>
                        )}
                        {moreMenu(ticket, [
                          ...(consultation ? [{ act: 'start' as const, icon: <IconPlayerPlay size={14} aria-hidden /> }] : []),
                          { act: 'call', icon: <IconSpeakerphone size={14} aria-hidden /> },
                          { act: 'requeue', icon: <IconArrowBackUp size={14} aria-hidden /> },
                          { act: 'skip', icon: <IconPlayerSkipForward size={14} aria-hidden /> },
                          { act: 'transfer', icon: <IconTransfer size={14} aria-hidden /> },
                        ])}
                      </>
                    )}
                  </TicketLine>
                ))}
              </Stack>
            </Section>

            <Section
              title={t('queue.sections.inService')}
              count={inService.length}
              testId="queue-in-service"
              loading={queue.isPending}
              skeletonRows={2}
              empty={t('queue.empty.inService')}
            >
              <Stack gap={0}>
                {inService.map((ticket) => (
                  <TicketLine
                    key={ticket.id}
                    ticket={ticket}
                    patient={patientCell(ticket)}
                    when={t('queue.inServiceFor', {
                      count: ticket.serviceStartedAt ? minutesBetween(ticket.serviceStartedAt, now) : 0,
                    })}
                  >
                    {canWrite && (
                      <>
                        {vitalsButton(ticket)}
                        {consultation && (
                          <StartConsultationButton
                            ticketId={ticket.id}
                            variant="light"
                            aria-label={t('encounters:start.buttonFor', { code: ticket.code })}
                          />
                        )}
                        <Button
                          size="xs"
                          color="green"
                          leftSection={<IconCheck size={14} aria-hidden />}
                          onClick={() => run(ticket, 'done')}
                          loading={busy(ticket)}
                          aria-label={t('queue.actions.doneTicket', { code: ticket.code })}
                        >
                          {t('queue.actions.done')}
                        </Button>
                        {moreMenu(ticket, [{ act: 'transfer', icon: <IconTransfer size={14} aria-hidden /> }])}
                      </>
                    )}
                  </TicketLine>
                ))}
              </Stack>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>

      <Section
        title={t('queue.sections.finished')}
        count={finished.length}
        testId="queue-finished"
        loading={queue.isPending}
        skeletonRows={2}
        empty={t('queue.empty.finished')}
      >
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('queue.columns.ticket')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.patient')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.status')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.arrived')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.finished')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {finished.map((ticket) => (
              <Table.Tr key={ticket.id}>
                <Table.Td>
                  <Text ff="monospace" fw={600}>
                    {ticket.code}
                  </Text>
                </Table.Td>
                <Table.Td>{patientCell(ticket)}</Table.Td>
                <Table.Td>
                  <TicketStatusBadge status={ticket.status} />
                </Table.Td>
                <Table.Td>{clockTime(ticket.arrivedAt, timezone)}</Table.Td>
                <Table.Td>{clockTime(ticket.finishedAt, timezone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <TransferModal ticket={transferring} servicePoints={servicePoints} onClose={() => setTransferring(null)} />
      <Modal
        opened={!!measuring}
        onClose={() => setMeasuring(null)}
        size="xl"
        title={measuring ? t('queue.vitalsTitle', { name: measuring.patient.name, code: measuring.code }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {measuring && <VitalsForm patientId={measuring.patient.id} onRecorded={() => setMeasuring(null)} />}
      </Modal>
    </Stack>
  );
}

function Stat({ label, value, loading }: { label: string; value: ReactNode; loading: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {loading ? (
        <Skeleton h={28} w={48} mt={4} />
      ) : (
        <Text fz={24} fw={700} lh={1.2}>
          {value}
        </Text>
      )}
    </Stack>
  );
}

interface SectionProps {
  title: string;
  count: number;
  testId: string;
  loading: boolean;
  skeletonRows?: number;
  /** what the section says when it holds no ticket */
  empty: string;
  children: ReactNode;
}

/** One part of the board: its title and count, then a skeleton while loading, the empty sentence, or the tickets. */
function Section({ title, count, testId, loading, skeletonRows, empty, children }: SectionProps) {
  const id = `${testId}-title`;
  return (
    <Paper p={0} component="section" aria-labelledby={id} data-testid={testId} style={{ overflow: 'hidden' }}>
      <Group px="md" py="xs" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Title order={2} id={id} fz="md">
          {title}
        </Title>
        <Badge variant="light" color="gray" leftSection={<IconUsers size={12} aria-hidden />}>
          {count}
        </Badge>
      </Group>
      {loading ? (
        <RowsSkeleton rows={skeletonRows} />
      ) : count === 0 ? (
        <Text size="sm" c="dimmed" p="md">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

interface TicketLineProps {
  ticket: QueueTicket;
  /** beside the number (the priority of a called ticket) */
  lead?: ReactNode;
  patient: ReactNode;
  /** since when: called or in service for how long */
  when: string;
  /** the actions; they move under the patient when the column is narrow */
  children: ReactNode;
}

/** A called or in-service ticket: number, patient, since when, actions. */
function TicketLine({ ticket, lead, patient, when, children }: TicketLineProps) {
  return (
    <Group
      px="md"
      py={8}
      gap="xs"
      wrap="wrap"
      justify="space-between"
      data-testid={`ticket-${ticket.code}`}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group gap="sm" wrap="nowrap" style={{ flex: '1 1 16rem', minWidth: 0 }}>
        <Text ff="monospace" fw={700} fz="lg" style={{ whiteSpace: 'nowrap' }}>
          {ticket.code}
        </Text>
        {lead}
        {patient}
      </Group>
      <Group gap={6} wrap="nowrap" ml="auto">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} mr={4}>
          {when}
        </Text>
        {children}
      </Group>
    </Group>
  );
}

function RowsSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="xs" p="md">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h={28} />
      ))}
    </Stack>
  );
}
