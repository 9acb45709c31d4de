import { useMemo, useState, type DragEvent } from 'react';
import { Box, Group, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Appointment } from '../api/appointments.ts';
import { localName } from '../api/masterdata.ts';
import type { Slot } from '../api/practitioners.ts';
import { layoutOverlaps, minuteAtOffset, ROW_MINUTES, visibleHours, wallClock } from '../lib/calendar.ts';
import { STATUS_COLORS } from './AppointmentStatusBadge.tsx';
import { RiskBadge } from './RiskBadge.tsx';
import classes from './calendar.module.css';

const ROW_H = 18;
const DRAG_TYPE = 'application/x-sanita-appointment';

export interface CalendarColumn {
  key: string;
  date: string;
  practitionerId: string;
  practitionerName: string;
  title: string;
  subtitle?: string;
  isToday: boolean;
}

/** Where an appointment is drawn while a move waits for the server. */
export interface PendingMove {
  startsAt: string;
  endsAt: string;
  practitionerId: string;
}

interface Props {
  columns: CalendarColumn[];
  appointments: Appointment[];
  slots: Map<string, Slot[]>;
  timezone: string;
  pendingMoves: Map<string, PendingMove>;
  canWrite: boolean;
  onSlot: (column: CalendarColumn, slot: Slot) => void;
  onOpen: (appointment: Appointment) => void;
  onMove: (appointment: Appointment, column: CalendarColumn, minute: number) => void;
}

interface Drawn {
  appointment: Appointment;
  start: number;
  end: number;
  pending: boolean;
}

const MOVABLE = new Set(['booked', 'requested']);

function fmt(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The time grid: one column per (date, practitioner), appointments as blocks, free slots as buttons. */
export function CalendarGrid({ columns, appointments, slots, timezone, pendingMoves, canWrite, onSlot, onOpen, onMove }: Props) {
  const { t, i18n } = useTranslation('scheduling');
  const [dragging, setDragging] = useState<Appointment | null>(null);
  const [hover, setHover] = useState<{ key: string; minute: number } | null>(null);

  const { byColumn, slotsByColumn, hours } = useMemo(() => {
    const byColumn = new Map<string, Drawn[]>(columns.map((c) => [c.key, []]));
    const slotsByColumn = new Map<string, { slot: Slot; start: number; end: number }[]>(columns.map((c) => [c.key, []]));
    const ranges: { start: number; end: number }[] = [];
    const columnOf = (date: string, practitionerId: string) =>
      columns.find((c) => c.date === date && c.practitionerId === practitionerId);
    for (const a of appointments) {
      const moved = pendingMoves.get(a.id);
      const startsAt = moved?.startsAt ?? a.startsAt;
      const endsAt = moved?.endsAt ?? a.endsAt;
      const start = wallClock(startsAt, timezone);
      const end = wallClock(endsAt, timezone);
      const column = columnOf(start.date, moved?.practitionerId ?? a.practitioner.id);
      if (!column) continue;
      // A visit running past midnight is cut at the end of its day.
      const endMinutes = end.date === start.date ? Math.max(end.minutes, start.minutes + ROW_MINUTES) : 24 * 60;
      byColumn.get(column.key)?.push({ appointment: a, start: start.minutes, end: endMinutes, pending: !!moved });
      ranges.push({ start: start.minutes, end: endMinutes });
    }
    for (const column of columns) {
      const list = (slots.get(column.key) ?? [])
        .map((slot) => ({ slot, start: wallClock(slot.startsAt, timezone), end: wallClock(slot.endsAt, timezone) }))
        .filter((s) => s.start.date === column.date)
        .map((s) => ({ slot: s.slot, start: s.start.minutes, end: s.end.date === column.date ? s.end.minutes : 24 * 60 }))
        .sort((a, b) => a.start - b.start);
      // Slots on a finer grid than the visit overlap; draw each only until the next one starts.
      const drawn = list.map((s, i) => ({ ...s, end: Math.min(s.end, list[i + 1]?.start ?? s.end) }));
      slotsByColumn.set(column.key, drawn);
      ranges.push(...drawn);
    }
    return { byColumn, slotsByColumn, hours: visibleHours(ranges) };
  }, [appointments, columns, pendingMoves, slots, timezone]);

  const rows = ((hours.endHour - hours.startHour) * 60) / ROW_MINUTES;
  const height = rows * ROW_H;
  const top = (minutes: number) => ((minutes - hours.startHour * 60) / ROW_MINUTES) * ROW_H;
  const now = wallClock(dayjs().toISOString(), timezone);
  const language = i18n.resolvedLanguage;

  // Dropped on a free slot: take that slot's start (the practitioner's grid may be 20 min, not 15);
  // elsewhere, the 15-minute row under the pointer.
  const minuteFromEvent = (event: DragEvent<HTMLDivElement>, columnKey: string) => {
    const offset = event.clientY - event.currentTarget.getBoundingClientRect().top;
    const exact = hours.startHour * 60 + (offset / ROW_H) * ROW_MINUTES;
    const slot = slotsByColumn.get(columnKey)?.find((s) => s.start <= exact && exact < s.end);
    return slot ? slot.start : minuteAtOffset(offset, ROW_H, hours.startHour);
  };

  return (
    <div className={classes.scroller} aria-label={t('schedule.title')} role="region" tabIndex={0}>
      <div
        className={classes.grid}
        style={{ gridTemplateColumns: `56px repeat(${columns.length}, minmax(${columns.length > 4 ? 150 : 200}px, 1fr))` }}
      >
        <div className={`${classes.corner} ${classes.gutter}`}>
          <Text size="xs" c="dimmed">
            {t('schedule.timeColumn')}
          </Text>
        </div>
        {columns.map((c) => (
          <div key={c.key} className={`${classes.head} ${c.isToday ? classes.headToday : ''}`}>
            <Text size="sm" fw={600} lineClamp={1}>
              {c.title}
            </Text>
            {c.subtitle && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {c.subtitle}
              </Text>
            )}
          </div>
        ))}

        <div className={classes.gutter} style={{ position: 'sticky', height }} aria-hidden>
          {Array.from({ length: hours.endHour - hours.startHour }, (_, i) => (
            <span key={i} className={classes.hourLabel} style={{ top: i * 4 * ROW_H + (i === 0 ? 8 : 0) }}>
              {fmt((hours.startHour + i) * 60)}
            </span>
          ))}
        </div>

        {columns.map((column) => {
          const drawn = byColumn.get(column.key) ?? [];
          const placed = layoutOverlaps(drawn.map((d) => ({ id: d.appointment.id, start: d.start, end: d.end })));
          const dropMinutes = dragging ? Math.round((Date.parse(dragging.endsAt) - Date.parse(dragging.startsAt)) / 60_000) : 0;
          return (
            <div
              key={column.key}
              className={classes.column}
              style={{ height, ['--row-h' as string]: `${ROW_H}px` }}
              onDragOver={(e) => {
                if (!dragging || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                const minute = minuteFromEvent(e, column.key);
                if (hover?.key !== column.key || hover.minute !== minute) setHover({ key: column.key, minute });
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHover(null);
              }}
              onDrop={(e) => {
                if (!dragging) return;
                e.preventDefault();
                const minute = minuteFromEvent(e, column.key);
                const appointment = dragging;
                setDragging(null);
                setHover(null);
                onMove(appointment, column, minute);
              }}
            >
              {column.date === now.date && now.minutes >= hours.startHour * 60 && now.minutes < hours.endHour * 60 && (
                <div className={classes.nowLine} style={{ top: top(now.minutes) }} aria-hidden />
              )}
              {(slotsByColumn.get(column.key) ?? []).map(({ slot, start, end }) => (
                <button
                  key={slot.startsAt}
                  type="button"
                  className={classes.slot}
                  style={{ top: top(start) + 1, height: Math.max(ROW_H - 2, top(end) - top(start) - 2) }}
                  aria-label={t('schedule.freeSlot', { time: fmt(start), practitioner: column.practitionerName })}
                  onClick={() => onSlot(column, slot)}
                >
                  {fmt(start)} · {t('schedule.freeSlotShort')}
                </button>
              ))}
              {drawn.map((d) => {
                const a = d.appointment;
                const p = placed.get(a.id) ?? { lane: 0, lanes: 1 };
                const h = Math.max(ROW_H - 2, top(d.end) - top(d.start) - 2);
                const inactive = a.status === 'cancelled' || a.status === 'no_show';
                const movable = canWrite && MOVABLE.has(a.status) && !d.pending;
                const showRisk =
                  a.noShowRisk !== null &&
                  (a.status === 'booked' || a.status === 'requested') &&
                  Date.parse(a.startsAt) > Date.now();
                const status = STATUS_COLORS[a.status];
                const visit = localName(a.visitType, language);
                return (
                  <div
                    key={a.id}
                    role="button"
                    tabIndex={0}
                    draggable={movable}
                    data-testid="appointment-block"
                    aria-label={
                      t('schedule.blockLabel', {
                        time: fmt(d.start),
                        patient: a.patient.name,
                        visitType: visit,
                        status: t(`apptStatus.${a.status}`),
                      }) + (showRisk ? ` · ${t('schedule.risk', { percent: Math.round((a.noShowRisk ?? 0) * 100) })}` : '')
                    }
                    // the whole name (cut to one line in a short block) on hover
                    title={`${fmt(d.start)} ${a.patient.name} · ${a.patient.mrn} · ${visit}`}
                    className={`${classes.block} ${inactive ? classes.blockInactive : ''} ${d.pending ? classes.blockPending : ''}`}
                    style={{
                      top: top(d.start) + 1,
                      height: h,
                      left: `calc(${(p.lane / p.lanes) * 100}% + 2px)`,
                      width: `calc(${100 / p.lanes}% - 4px)`,
                      background: `var(--mantine-color-${status}-1)`,
                      borderLeftColor: `var(--mantine-color-${a.visitType.color}-6)`,
                    }}
                    onClick={() => onOpen(a)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        onOpen(a);
                      }
                    }}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, a.id);
                      e.dataTransfer.effectAllowed = 'move';
                      setDragging(a);
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setHover(null);
                    }}
                  >
                    <Group gap={4} wrap="nowrap" justify="space-between" align="flex-start">
                      <Text
                        fw={700}
                        truncate="end"
                        fz={h <= 30 ? 11 : 'xs'}
                        lh={1.25}
                        miw={0}
                        style={{ fontVariantNumeric: 'tabular-nums' }}
                      >
                        {fmt(d.start)} {a.patient.name}
                      </Text>
                      {showRisk && <RiskBadge risk={a.noShowRisk ?? 0} factors={a.noShowFactors} compact />}
                    </Group>
                    {h > 30 && (
                      <Text size="xs" lineClamp={1} c="dark.5">
                        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{a.patient.mrn}</span> · {visit}
                      </Text>
                    )}
                    {h > 48 && (
                      <Text size="xs" lineClamp={1} c="dark.4">
                        {t(`apptStatus.${a.status}`)}
                      </Text>
                    )}
                  </div>
                );
              })}
              {dragging && hover?.key === column.key && (
                <Box
                  className={classes.dropPreview}
                  style={{ top: top(hover.minute), height: Math.max(ROW_H, (dropMinutes / ROW_MINUTES) * ROW_H) }}
                  aria-hidden
                >
                  {t('schedule.dropHere', { time: fmt(hover.minute) })}
                </Box>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
