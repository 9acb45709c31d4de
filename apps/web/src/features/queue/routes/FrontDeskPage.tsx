import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Kbd,
  Paper,
  ScrollArea,
  Skeleton,
  Switch,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconCalendarOff, IconLogin, IconSearch, IconWalk } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useServicePoints } from '../api/queue.ts';
import { CHECKABLE, useTodaysAppointments, type AppointmentStatus, type FrontDeskAppointment } from '../api/frontDesk.ts';
import { CheckInModal, WalkInModal } from '../components/CheckInModals.tsx';
import { IssuedTicket, type Issued } from '../components/IssuedTicket.tsx';
import { WaitingSection } from '../components/WaitingBoard.tsx';
import { clockTime, todayIn } from '../lib/time.ts';

const STATUS_COLOR: Record<AppointmentStatus, string> = {
  held: 'gray',
  requested: 'orange',
  booked: 'brand',
  checked_in: 'green',
  in_progress: 'violet',
  completed: 'gray',
  cancelled: 'red',
  no_show: 'red',
};
const CLOSED: readonly AppointmentStatus[] = ['completed', 'cancelled', 'no_show', 'held'];

function matches(a: FrontDeskAppointment, text: string): boolean {
  if (!text) return true;
  const hay = `${a.patient.name} ${a.patient.mrn} ${a.practitioner.displayName}`.toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .every((word) => hay.includes(word));
}

/** Today's arrivals: check in booked patients, or queue a walk-in. */
export function FrontDeskPage() {
  const { t, i18n } = useTranslation('queue');
  const { activeClinic, can } = useAuth();
  const f = useFormatters();
  const timezone = activeClinic?.timezone;
  const today = todayIn(timezone);
  const appointments = useTodaysAppointments(today);
  const servicePoints = useServicePoints();
  const [search, setSearch] = useState('');
  const [openOnly, setOpenOnly] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [checkingIn, setCheckingIn] = useState<FrontDeskAppointment | null>(null);
  const [walkIn, setWalkIn] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const canCheckIn = can('queue:write');
  const sps = servicePoints.data ?? [];

  const rows = useMemo(
    () => (appointments.data ?? []).filter((a) => matches(a, search.trim()) && (!openOnly || !CLOSED.includes(a.status))),
    [appointments.data, search, openOnly],
  );
  const selected = rows.find((r) => r.id === selectedId) ?? rows.find((r) => CHECKABLE.includes(r.status)) ?? null;

  const startCheckIn = (a: FrontDeskAppointment | null) => {
    if (a && canCheckIn && CHECKABLE.includes(a.status)) setCheckingIn(a);
  };
  const move = (step: 1 | -1) => {
    const index = selected ? rows.findIndex((r) => r.id === selected.id) : -1;
    const next = rows[Math.min(rows.length - 1, Math.max(0, index + step))];
    if (next) setSelectedId(next.id);
  };
  // A focused button or link answers Enter itself; the page shortcut must not act a second time.
  const onPage = (action: () => void) => () => {
    if (document.activeElement?.closest('button, a, [role="dialog"]')) return;
    action();
  };

  // Arrows move the highlighted row, Enter checks it in: the receptionist never leaves the keyboard.
  useHotkeys([
    ['/', () => searchRef.current?.focus()],
    ['ArrowDown', onPage(() => move(1))],
    ['ArrowUp', onPage(() => move(-1))],
    ['Enter', onPage(() => startCheckIn(selected))],
  ]);
  // Alt+W works from the search box too, where a plain letter is typed text.
  useHotkeys([['alt+W', () => canCheckIn && setWalkIn(true), { usePhysicalKeys: true }]], []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Enter') return;
    event.preventDefault();
    if (event.key === 'Enter') startCheckIn(selected);
    else move(event.key === 'ArrowDown' ? 1 : -1);
  };

  const visitTypeName = (a: FrontDeskAppointment) =>
    a.visitType ? (i18n.resolvedLanguage === 'fr' ? a.visitType.nameFr : a.visitType.name) : '—';

  return (
    <>
      <PageHeader
        title={t('frontDesk.title')}
        description={t('frontDesk.subtitle', { date: f.date(today) })}
        actions={
          canCheckIn && (
            <Button
              leftSection={<IconWalk size={16} aria-hidden />}
              rightSection={
                <Kbd size="xs" aria-hidden>
                  Alt W
                </Kbd>
              }
              aria-keyshortcuts="Alt+W"
              onClick={() => setWalkIn(true)}
              disabled={sps.length === 0}
            >
              {t('frontDesk.walkIn.button')}
            </Button>
          )
        }
      />
      {issued && <IssuedTicket issued={issued} servicePoints={sps} onDismiss={() => setIssued(null)} />}
      {can('queue:read') && sps.length > 0 && <WaitingSection servicePoints={sps} />}
      <Paper p="sm" mb="md">
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput
            ref={searchRef}
            style={{ flex: 1, minWidth: 200 }}
            label={t('frontDesk.searchLabel')}
            description={t('frontDesk.keyboardHelp')}
            placeholder={t('frontDesk.searchPlaceholder')}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={onKeyDown}
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={
              <Kbd size="xs" visibleFrom="sm">
                /
              </Kbd>
            }
            rightSectionPointerEvents="none"
            autoFocus
          />
          <Switch
            label={t('frontDesk.openOnly')}
            checked={openOnly}
            onChange={(e) => setOpenOnly(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
      </Paper>

      {appointments.isError ? (
        <QueryError error={appointments.error} onRetry={() => void appointments.refetch()} />
      ) : appointments.isPending ? (
        <Paper p="md">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} h={28} mb="xs" />
          ))}
        </Paper>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconCalendarOff />}
          title={t(search.trim() ? 'frontDesk.empty.noMatchTitle' : 'frontDesk.empty.noneTitle')}
          description={t(search.trim() ? 'frontDesk.empty.noMatch' : 'frontDesk.empty.none')}
          action={
            canCheckIn && (
              <Button variant="light" leftSection={<IconWalk size={16} aria-hidden />} onClick={() => setWalkIn(true)}>
                {t('frontDesk.walkIn.button')}
              </Button>
            )
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <ScrollArea type="auto">
            <Table miw={{ base: 0, sm: 720 }} highlightOnHover data-testid="front-desk-appointments">
              <caption>
                <VisuallyHidden>{t('frontDesk.tableCaption')}</VisuallyHidden>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={80}>
                    {t('frontDesk.columns.time')}
                  </Table.Th>
                  <Table.Th scope="col">{t('frontDesk.columns.patient')}</Table.Th>
                  <Table.Th scope="col" visibleFrom="sm">
                    {t('frontDesk.columns.practitioner')}
                  </Table.Th>
                  <Table.Th scope="col" visibleFrom="md">
                    {t('frontDesk.columns.visitType')}
                  </Table.Th>
                  <Table.Th scope="col">{t('frontDesk.columns.status')}</Table.Th>
                  {canCheckIn && (
                    <Table.Th scope="col" ta="right">
                      {t('common.actions')}
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => {
                  const isSelected = selected?.id === a.id;
                  return (
                    <Table.Tr
                      key={a.id}
                      aria-selected={isSelected}
                      bg={isSelected ? 'var(--mantine-color-brand-0)' : undefined}
                      onClick={() => setSelectedId(a.id)}
                      style={{ cursor: 'pointer' }}
                      data-testid={`appointment-${a.id}`}
                    >
                      <Table.Td>
                        <Text fw={600} ff="monospace">
                          {clockTime(a.startsAt, timezone)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {can('patients:read') ? (
                          <Anchor component={Link} to={`/patients/${a.patient.id}`} fw={600} size="sm">
                            {a.patient.name}
                          </Anchor>
                        ) : (
                          <Text size="sm" fw={600}>
                            {a.patient.name}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {a.patient.mrn}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{a.practitioner.displayName}</Table.Td>
                      <Table.Td visibleFrom="md">{visitTypeName(a)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLOR[a.status]}>
                          {t(`frontDesk.status.${a.status}`)}
                        </Badge>
                      </Table.Td>
                      {canCheckIn && (
                        <Table.Td ta="right">
                          {CHECKABLE.includes(a.status) && (
                            <Button
                              size="xs"
                              variant={isSelected ? 'filled' : 'light'}
                              leftSection={<IconLogin size={14} aria-hidden />}
                              onClick={() => startCheckIn(a)}
                              aria-label={t('frontDesk.checkIn.buttonFor', { patient: a.patient.name })}
                              disabled={sps.length === 0}
                            >
                              {t('frontDesk.checkIn.button')}
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      )}
      {canCheckIn && servicePoints.isSuccess && sps.length === 0 && (
        <Text size="sm" c="dimmed" mt="sm">
          {t('frontDesk.noServicePoints')}
        </Text>
      )}
      <CheckInModal appointment={checkingIn} servicePoints={sps} onClose={() => setCheckingIn(null)} onIssued={setIssued} />
      <WalkInModal opened={walkIn} servicePoints={sps} onClose={() => setWalkIn(false)} onIssued={setIssued} />
    </>
  );
}
