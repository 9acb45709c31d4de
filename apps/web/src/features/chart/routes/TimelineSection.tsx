import { createElement, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Anchor, Button, Chip, Group, Paper, Skeleton, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { chartParts } from '../../../app/parts.ts';
import type { ChartPartProps, TimelineKind } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useSearchParamsUpdater } from '../../../lib/searchParams.ts';
import { useTimeline, type TimelineItem } from '../api/timeline.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const entryKey = (item: TimelineItem) => `${item.kind}:${item.id}`;

/**
 * The chart's timeline: every kind of entry the features declare (encounters, notes, vitals, documents,
 * vaccines, letters…) that this user may read, newest first, grouped by day in the clinic's timezone,
 * filtered by kind and dates (kept in the address, so that going back from an entry finds them), paged.
 * The list is one stop of the Tab key: ↑/↓ (or j/k) move between entries, Home/End to the first and last
 * shown, Enter opens the entry (its page, tab or preview); moving on from the last one, or "Show older
 * entries", loads the next page and moves to its first entry.
 */
export function TimelineSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  const { can } = useAuth();
  const navigate = useNavigate();
  const kinds = chartParts(can).timeline;
  const [params, updateParams] = useSearchParamsUpdater();
  const selected = (params.get('kinds') ?? '').split(',').filter((k) => kinds.has(k));
  const from = DAY.test(params.get('from') ?? '') ? params.get('from')! : '';
  const to = DAY.test(params.get('to') ?? '') ? params.get('to')! : '';
  const reversed = from !== '' && to !== '' && to < from;
  const updateParam = (name: string, value: (current: string) => string) =>
    updateParams((next) => {
      const v = value(next.get(name) ?? '');
      if (v) next.set(name, v);
      else next.delete(name);
    });
  const setParam = (name: string, value: string) => updateParam(name, () => value);
  const toggleKind = (kind: string) =>
    updateParam('kinds', (current) => {
      const now = current.split(',').filter((k) => kinds.has(k));
      return (now.includes(kind) ? now.filter((k) => k !== kind) : [...now, kind]).join(',');
    });

  // the days are the clinic's: from the start of the first to the end of the last, in its timezone
  const filter = {
    kinds: selected.length ? selected.join(',') : undefined,
    from: from ? dayjs.tz(from, f.timezone).startOf('day').toISOString() : undefined,
    to: to && !reversed ? dayjs.tz(to, f.timezone).endOf('day').toISOString() : undefined,
  };
  const timeline = useTimeline(patient.id, filter);
  const list = useRef<HTMLOListElement>(null);
  // the entry the list's Tab stop is on (the first one until another is focused)
  const [current, setCurrent] = useState<string | null>(null);
  const rows = timeline.rows;
  const tabStop = rows.some((r) => entryKey(r) === current) ? current : rows[0] ? entryKey(rows[0]) : null;
  // the entry to focus once the next page is in (the first of it)
  const focusOnLoad = useRef<number | null>(null);
  const loadOlder = () => {
    focusOnLoad.current = rows.length;
    timeline.loadMore();
  };
  useEffect(() => {
    const at = focusOnLoad.current;
    if (at === null || rows.length <= at) return;
    focusOnLoad.current = null;
    list.current?.querySelectorAll<HTMLElement>('[data-entry]')[at]?.focus();
  }, [rows.length]);

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const items = [...(list.current?.querySelectorAll<HTMLElement>('[data-entry]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const go = (i: number) => items[Math.max(0, Math.min(items.length - 1, i))]?.focus();
    const down = e.key === 'ArrowDown' || e.key === 'j';
    if (down && at === items.length - 1 && timeline.hasMore) {
      if (!timeline.loadingMore) loadOlder();
    } else if (down) go(at + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else return;
    e.preventDefault();
  };

  const days: [string, TimelineItem[]][] = [];
  for (const item of rows) {
    const kind = kinds.get(item.kind);
    // a day-only entry (a vaccine) is at 00:00 UTC of its day: its day is the date itself
    const day = kind?.dateOnly ? item.at.slice(0, 10) : dayjs(item.at).tz(f.timezone).format('YYYY-MM-DD');
    const last = days[days.length - 1];
    if (last?.[0] === day) last[1].push(item);
    else days.push([day, [item]]);
  }

  const entry = (item: TimelineItem) => {
    const kind: TimelineKind | undefined = kinds.get(item.kind);
    const key = entryKey(item);
    const label = kind ? t(kind.labelKey) : item.kind;
    const when = kind?.dateOnly ? f.date(item.at) : f.dateTime(item.at);
    const href = kind?.to?.(item, patient.id, can);
    const focus = {
      tabIndex: key === tabStop ? 0 : -1,
      'data-entry': true,
      onFocus: () => setCurrent(key),
      'aria-label': [label, when, item.by].filter(Boolean).join(', '),
    };
    // a click anywhere on the card opens it, unless on a control of its own
    const openOnClick = (e: MouseEvent) => {
      if (!href || (e.target as HTMLElement).closest('a, button, input')) return;
      void navigate(href);
    };
    return (
      <Paper
        key={key}
        component="li"
        withBorder
        px="sm"
        py={6}
        data-kind={item.kind}
        onClick={openOnClick}
        style={href ? { cursor: 'pointer' } : undefined}
        {...(href ? {} : focus)}
      >
        <Group gap="sm" wrap="nowrap" align="flex-start">
          {kind && (
            <ThemeIcon variant="light" size="md" radius="xl" aria-hidden>
              {createElement(kind.icon, { size: 16 })}
            </ThemeIcon>
          )}
          <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
            <Group gap="xs" wrap="wrap">
              {href ? (
                <Anchor component={Link} to={href} size="sm" fw={600} {...focus}>
                  {label}
                </Anchor>
              ) : (
                <Text size="sm" fw={600}>
                  {label}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {[kind?.dateOnly ? null : dayjs(item.at).tz(f.timezone).format('HH:mm'), item.by].filter(Boolean).join(' · ')}
              </Text>
            </Group>
            {kind?.component && createElement(kind.component, { item })}
          </Stack>
        </Group>
      </Paper>
    );
  };

  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('timeline.title')}
      </Title>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Chip.Group
          multiple
          value={selected}
          onChange={(v) => {
            const changed = [...v.filter((k) => !selected.includes(k)), ...selected.filter((k) => !v.includes(k))];
            changed.forEach(toggleKind);
          }}
        >
          <Group gap={6} role="group" aria-label={t('timeline.kinds')}>
            {[...kinds.values()].map((k) => (
              <Chip key={k.kind} value={k.kind} size="sm" variant="outline">
                {t(k.labelKey)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <TextInput
          type="date"
          size="xs"
          label={t('timeline.from')}
          value={from}
          max={to || undefined}
          onChange={(e) => setParam('from', e.currentTarget.value)}
        />
        <TextInput
          type="date"
          size="xs"
          label={t('timeline.to')}
          value={to}
          min={from || undefined}
          error={reversed ? t('timeline.toBeforeFrom') : undefined}
          onChange={(e) => setParam('to', e.currentTarget.value)}
        />
        {(selected.length > 0 || from || to) && (
          <Button
            variant="subtle"
            size="xs"
            onClick={() => updateParams((next) => [...next.keys()].forEach((k) => next.delete(k)))}
          >
            {t('timeline.clear')}
          </Button>
        )}
      </Group>
      {timeline.isLoading ? (
        <Skeleton h={200} />
      ) : timeline.error ? (
        <QueryError error={timeline.error} onRetry={timeline.refetch} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconTimeline aria-hidden />}
          title={t('timeline.emptyTitle')}
          description={selected.length || from || to ? t('timeline.emptyFiltered') : t('timeline.empty')}
        />
      ) : (
        <>
          <Text size="xs" c="dimmed" id="timeline-keys">
            {t('timeline.keys')}
          </Text>
          <ol
            ref={list}
            onKeyDown={onKeyDown}
            aria-label={t('timeline.listLabel')}
            aria-describedby="timeline-keys"
            style={{ listStyle: 'none', margin: 0, padding: 0 }}
            data-testid="timeline"
          >
            {days.map(([day, items]) => (
              <li key={day}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4}>
                  {f.date(day)}
                </Text>
                <Stack gap={4} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                  {items.map(entry)}
                </Stack>
              </li>
            ))}
          </ol>
        </>
      )}
      {timeline.hasMore && (
        <Button variant="default" onClick={loadOlder} loading={timeline.loadingMore} style={{ alignSelf: 'center' }}>
          {t('timeline.more')}
        </Button>
      )}
    </Stack>
  );
}
