import { useEffect, useMemo, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCalendarOff, IconChevronLeft, IconChevronRight, IconStethoscope } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth, useMe } from '../../../lib/auth/AuthProvider.tsx';
import { notifySuccess } from '../../../lib/errors.ts';
import { useAppointmentAction, useAppointments, type Appointment } from '../api/appointments.ts';
import { localName, useVisitTypes } from '../api/masterdata.ts';
import {
  useAvailability,
  useClinicClosures,
  usePractitioners,
  useSlotsMany,
  type AvailabilityException,
  type Slot,
} from '../api/practitioners.ts';
import { AppointmentDrawer } from '../components/AppointmentDrawer.tsx';
import { StatusLegend } from '../components/AppointmentStatusBadge.tsx';
import { BookingModal, type BookingTarget } from '../components/BookingModal.tsx';
import { CalendarGrid, type CalendarColumn, type PendingMove } from '../components/CalendarGrid.tsx';
import { ISO_DATE, exceptionSpan, instantAt, shiftDate, todayIn, wallClock, weekOf } from '../lib/calendar.ts';
import { notifyScheduleError } from '../lib/errors.ts';

type View = 'day' | 'week';
const ALL = 'all';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function SchedulePage() {
  const { t, i18n } = useTranslation('scheduling');
  const me = useMe();
  const { activeClinic, can } = useAuth();
  const zone = activeClinic?.timezone ?? dayjs.tz.guess();
  const clinicId = activeClinic?.id ?? null;
  const canWrite = can('appointments:write');
  const language = i18n.resolvedLanguage ?? 'en';

  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'week' ? 'week' : 'day';
  const date = dayjs(params.get('date') ?? '', ISO_DATE, true).isValid() ? (params.get('date') as string) : todayIn(zone);
  const [showCancelled, setShowCancelled] = useState(false);
  const [slotVisitTypeId, setSlotVisitTypeId] = useState<string | null>(null);
  const [booking, setBooking] = useState<BookingTarget | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [pendingMoves, setPendingMoves] = useState<Map<string, PendingMove>>(new Map());

  const practitioners = usePractitioners({ clinicId });
  const visitTypes = useVisitTypes();
  const activeVisitTypes = useMemo(() => (visitTypes.data ?? []).filter((v) => v.active), [visitTypes.data]);
  // The everyday visit is the useful default for spotting free time.
  const slotType =
    slotVisitTypeId ?? (activeVisitTypes.find((v) => v.code === 'consultation') ?? activeVisitTypes[0])?.id ?? null;

  const list = useMemo(() => (practitioners.data ?? []).filter((p) => p.active), [practitioners.data]);
  // A practitioner opening the schedule sees their own by default; the front desk sees everyone.
  const own = list.find((p) => p.userId === me.id)?.id;
  const requested = params.get('practitioner');
  const chosen = requested && (requested === ALL || list.some((p) => p.id === requested)) ? requested : (own ?? ALL);
  const practitionerId = view === 'week' && chosen === ALL ? (own ?? list[0]?.id ?? null) : chosen === ALL ? null : chosen;

  const update = (next: Partial<{ view: View; date: string; practitioner: string }>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) merged.set(k, v);
    setParams(merged, { replace: true });
  };

  const days = view === 'week' ? weekOf(date) : [date];
  const from = days[0] ?? date;
  const to = days[days.length - 1] ?? date;
  const today = todayIn(zone);

  const columns: CalendarColumn[] = useMemo(() => {
    const local = (d: string) => dayjs(d, ISO_DATE).locale(language);
    if (view === 'week') {
      const p = list.find((x) => x.id === practitionerId);
      if (!p) return [];
      return days.map((d) => ({
        key: `${p.id}:${d}`,
        date: d,
        practitionerId: p.id,
        practitionerName: p.displayName,
        title: local(d).format('ddd D MMM'),
        isToday: d === today,
      }));
    }
    const shown = practitionerId ? list.filter((p) => p.id === practitionerId) : list;
    return shown.map((p) => ({
      key: `${p.id}:${date}`,
      date,
      practitionerId: p.id,
      practitionerName: p.displayName,
      title: p.displayName,
      subtitle: p.specialties.map((s) => localName(s, language)).join(', '),
      isToday: date === today,
    }));
  }, [view, list, practitionerId, date, language, today]);

  const shownIds = useMemo(() => [...new Set(columns.map((c) => c.practitionerId))], [columns]);
  const appointments = useAppointments(
    { from, to, practitionerId: view === 'week' || practitionerId ? practitionerId : null },
    !!clinicId && (view === 'day' || !!practitionerId),
  );
  const slots = useSlotsMany(shownIds, { clinicId, visitTypeId: slotType, from, to }, canWrite && shownIds.length > 0);
  const slotsByColumn = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const c of columns) map.set(c.key, slots.byPractitioner.get(c.practitionerId) ?? []);
    return map;
  }, [columns, slots.byPractitioner]);

  // the clinic's holidays and closures on the days shown: why nobody can be booked then
  const closures = useClinicClosures(clinicId);
  const rangeStart = Date.parse(instantAt(from, 0, zone));
  const rangeEnd = Date.parse(instantAt(shiftDate(to, 1), 0, zone));
  const shownRange = (x: AvailabilityException) => Date.parse(x.startsAt) < rangeEnd && rangeStart < Date.parse(x.endsAt);
  const closed = (closures.data ?? []).filter(shownRange);
  // and the leave of the practitioner shown (one practitioner: the week view, or a chosen one)
  const availability = useAvailability(practitionerId, clinicId);
  const away = (availability.data?.exceptions ?? []).filter((x) => x.practitionerId !== null && shownRange(x));

  const shown = useMemo(
    () => (appointments.data ?? []).filter((a) => showCancelled || (a.status !== 'cancelled' && a.status !== 'no_show')),
    [appointments.data, showCancelled],
  );

  const action = useAppointmentAction();
  const move = (a: Appointment, column: CalendarColumn, minute: number) => {
    const startsAt = instantAt(column.date, minute, zone);
    const current = wallClock(a.startsAt, zone);
    if (current.date === column.date && current.minutes === minute && a.practitioner.id === column.practitionerId) return;
    const duration = Date.parse(a.endsAt) - Date.parse(a.startsAt);
    const endsAt = new Date(Date.parse(startsAt) + duration).toISOString();
    setPendingMoves((m) => new Map(m).set(a.id, { startsAt, endsAt, practitionerId: column.practitionerId }));
    action.mutate(
      {
        id: a.id,
        action: {
          kind: 'reschedule',
          startsAt,
          practitionerId: column.practitionerId !== a.practitioner.id ? column.practitionerId : undefined,
        },
      },
      {
        onSuccess: () =>
          notifySuccess(t('schedule.moved', { when: dayjs(startsAt).tz(zone).locale(language).format('LL HH:mm') })),
        // The block goes back where it was: the server refused the move.
        onError: (err) => notifyScheduleError(err, t),
        onSettled: () =>
          setPendingMoves((m) => {
            const next = new Map(m);
            next.delete(a.id);
            return next;
          }),
      },
    );
  };

  const dialogOpen = booking !== null || openId !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const step = view === 'week' ? 7 : 1;
      if (e.key === 'ArrowLeft') update({ date: shiftDate(date, -step) });
      else if (e.key === 'ArrowRight') update({ date: shiftDate(date, step) });
      else if (e.key === 't' || e.key === 'T') update({ date: todayIn(zone) });
      else if (e.key === 'd' || e.key === 'D') update({ view: 'day' });
      else if (e.key === 'w' || e.key === 'W') update({ view: 'week' });
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const step = view === 'week' ? 7 : 1;
  const rangeLabel =
    view === 'week'
      ? `${dayjs(from).locale(language).format('D MMM')} – ${dayjs(to).locale(language).format('LL')}`
      : dayjs(date).locale(language).format('dddd LL');

  const practitionerOptions = [
    ...(view === 'day' ? [{ value: ALL, label: t('schedule.allPractitioners') }] : []),
    ...list.map((p) => ({ value: p.id, label: p.displayName })),
  ];

  const loading = practitioners.isPending || (appointments.isPending && appointments.fetchStatus !== 'idle');
  const error = practitioners.error ?? appointments.error;
  const nothing = !loading && shown.length === 0 && [...slotsByColumn.values()].every((s) => s.length === 0) && !slots.isPending;

  return (
    <>
      <PageHeader
        title={t('schedule.title')}
        description={`${rangeLabel} · ${t('schedule.subtitle', { zone })}`}
        actions={
          <SegmentedControl
            aria-label={t('schedule.view')}
            value={view}
            onChange={(v) => update({ view: v as View })}
            data={[
              { value: 'day', label: t('schedule.day') },
              { value: 'week', label: t('schedule.week') },
            ]}
          />
        }
      />
      <Paper p="sm" mb="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Group gap={4} align="flex-end">
            <Tooltip label={t('schedule.previous')}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={t('schedule.previous')}
                onClick={() => update({ date: shiftDate(date, -step) })}
              >
                <IconChevronLeft size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Button variant="default" onClick={() => update({ date: today })}>
              {t('schedule.today')}
            </Button>
            <Tooltip label={t('schedule.next')}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={t('schedule.next')}
                onClick={() => update({ date: shiftDate(date, step) })}
              >
                <IconChevronRight size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
          <TextInput
            type="date"
            label={t('schedule.date')}
            value={date}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (dayjs(v, ISO_DATE, true).isValid()) update({ date: v });
            }}
            w={160}
          />
          <Select
            label={t('schedule.practitioner')}
            data={practitionerOptions}
            value={view === 'week' ? practitionerId : chosen}
            onChange={(v) => v && update({ practitioner: v })}
            allowDeselect={false}
            searchable
            w={260}
          />
          {canWrite && (
            <Select
              label={t('schedule.slotsFor')}
              data={activeVisitTypes.map((v) => ({ value: v.id, label: `${localName(v, language)} (${v.durationMinutes} min)` }))}
              value={slotType}
              onChange={setSlotVisitTypeId}
              placeholder={t('schedule.noSlotType')}
              allowDeselect={false}
              w={240}
            />
          )}
          <Checkbox
            label={t('schedule.showCancelled')}
            checked={showCancelled}
            onChange={(e) => setShowCancelled(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
      </Paper>
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <StatusLegend />
        <Text size="xs" c="dimmed">
          {t('schedule.keyboardHelp')}
        </Text>
      </Group>
      {error ? (
        <QueryError error={error} onRetry={() => void (practitioners.error ? practitioners.refetch() : appointments.refetch())} />
      ) : loading ? (
        <Stack aria-busy aria-label={t('schedule.loadingGrid')}>
          <Skeleton h={48} />
          <Skeleton h={420} />
        </Stack>
      ) : list.length === 0 ? (
        <EmptyState
          icon={<IconStethoscope size={22} />}
          title={t('schedule.noPractitionersTitle')}
          description={t('schedule.noPractitioners')}
        />
      ) : (
        <Stack gap="xs">
          {[
            ...closed.map((x) => ({ x, what: 'closed' as const, name: activeClinic?.name ?? '' })),
            ...away.map((x) => ({
              x,
              what: 'away' as const,
              name: list.find((p) => p.id === x.practitionerId)?.displayName ?? '',
            })),
          ].map(({ x, what, name }) => (
            <UnavailableNotice key={x.id} exception={x} zone={zone} what={what} name={name} />
          ))}
          {nothing && closed.length === 0 && away.length === 0 && (
            <Paper p="sm" withBorder style={{ borderStyle: 'dashed' }}>
              <Group gap="xs">
                <IconCalendarOff size={18} aria-hidden />
                <Text size="sm">
                  <strong>{t('schedule.nothingThisDayTitle')}.</strong> {t('schedule.nothingThisDay')}
                </Text>
              </Group>
            </Paper>
          )}
          <CalendarGrid
            columns={columns}
            appointments={shown}
            slots={slotsByColumn}
            timezone={zone}
            pendingMoves={pendingMoves}
            canWrite={canWrite}
            onSlot={(column, slot) =>
              setBooking({
                practitionerId: column.practitionerId,
                practitionerName: column.practitionerName,
                startsAt: slot.startsAt,
                visitTypeId: slotType,
              })
            }
            onOpen={(a) => setOpenId(a.id)}
            onMove={move}
          />
        </Stack>
      )}
      <BookingModal target={booking} visitTypes={activeVisitTypes} timezone={zone} onClose={() => setBooking(null)} />
      <AppointmentDrawer
        appointmentId={openId}
        onClose={() => setOpenId(null)}
        onOpen={setOpenId}
        timezone={zone}
        practitioners={list}
      />
    </>
  );
}

/** Why a day has no free time: the clinic's holiday or closure, or the practitioner's leave. */
function UnavailableNotice({
  exception: x,
  zone,
  what,
  name,
}: {
  exception: AvailabilityException;
  zone: string;
  what: 'closed' | 'away';
  /** the clinic's name (closed) or the practitioner's (away) */
  name: string;
}) {
  const { t, i18n } = useTranslation('scheduling');
  const span = exceptionSpan(x, zone, i18n.resolvedLanguage ?? 'en');
  return (
    <Alert color="gray" p="xs" icon={<IconCalendarOff size={18} aria-hidden />}>
      <Text size="sm">
        <strong>{[t(`availability.exceptions.kinds.${x.kind}`), x.reason].filter(Boolean).join(' · ')}.</strong>{' '}
        {span.oneDay
          ? t(`schedule.${what}OneDay`, { name, day: span.from })
          : t(`schedule.${what}`, { name, from: span.from, to: span.to })}
      </Text>
    </Alert>
  );
}
