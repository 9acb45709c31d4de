import { useRef, useState, type KeyboardEvent } from 'react';
import { Button, Chip, Group, Paper, Skeleton, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { createElement } from 'react';
import { useTranslation } from 'react-i18next';
import { chartParts } from '../../../app/parts.ts';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useTimeline, type TimelineItem } from '../api/timeline.ts';

/**
 * The chart's timeline: every kind of entry the features declare (encounters, notes, vitals, documents,
 * letters…), newest first, grouped by day, filtered by kind and dates, paged. Arrow keys move between
 * entries, as in a mail list.
 */
export function TimelineSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  const { can } = useAuth();
  const kinds = chartParts(can).timeline;
  const [selected, setSelected] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = {
    kinds: selected.length ? selected.join(',') : undefined,
    from: from ? dayjs(from).startOf('day').toISOString() : undefined,
    to: to ? dayjs(to).endOf('day').toISOString() : undefined,
  };
  const timeline = useTimeline(patient.id, filter);
  const list = useRef<HTMLOListElement>(null);

  // ↑/↓ move between entries (each is focusable); Home/End jump to the first and last shown
  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    const items = [...(list.current?.querySelectorAll<HTMLElement>('[data-entry]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => items[Math.max(0, Math.min(items.length - 1, i))]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else return;
    e.preventDefault();
  };

  const days: [string, TimelineItem[]][] = [];
  for (const item of timeline.rows) {
    const day = f.date(item.at);
    const last = days[days.length - 1];
    if (last?.[0] === day) last[1].push(item);
    else days.push([day, [item]]);
  }

  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('timeline.title')}
      </Title>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Chip.Group multiple value={selected} onChange={setSelected}>
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
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput type="date" size="xs" label={t('timeline.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      {timeline.isLoading ? (
        <Skeleton h={200} />
      ) : timeline.error ? (
        <QueryError error={timeline.error} onRetry={timeline.refetch} />
      ) : timeline.rows.length === 0 ? (
        <EmptyState icon={<IconTimeline aria-hidden />} title={t('timeline.emptyTitle')} description={t('timeline.empty')} />
      ) : (
        <ol
          ref={list}
          onKeyDown={onKeyDown}
          aria-label={t('timeline.listLabel')}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
          data-testid="timeline"
        >
          {days.map(([day, items]) => (
            <li key={day}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4}>
                {day}
              </Text>
              <Stack gap={4} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {items.map((item) => {
                  const kind = kinds.get(item.kind);
                  return (
                    <Paper
                      key={`${item.kind}:${item.id}`}
                      component="li"
                      withBorder
                      px="sm"
                      py={6}
                      tabIndex={0}
                      data-entry
                      data-kind={item.kind}
                      aria-label={`${kind ? t(kind.labelKey) : item.kind}, ${f.dateTime(item.at)}`}
                    >
                      <Group gap="sm" wrap="nowrap" align="flex-start">
                        {kind && (
                          <ThemeIcon variant="light" size="md" radius="xl" aria-hidden>
                            {createElement(kind.icon, { size: 16 })}
                          </ThemeIcon>
                        )}
                        <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                          <Group gap="xs" wrap="wrap">
                            <Text size="sm" fw={600}>
                              {kind ? t(kind.labelKey) : item.kind}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {dayjs(item.at).tz(f.timezone).format('HH:mm')}
                              {item.by ? ` · ${item.by}` : ''}
                            </Text>
                          </Group>
                          {kind?.component && createElement(kind.component, { item })}
                        </Stack>
                      </Group>
                    </Paper>
                  );
                })}
              </Stack>
            </li>
          ))}
        </ol>
      )}
      {timeline.hasMore && (
        <Button variant="default" onClick={timeline.loadMore} loading={timeline.loadingMore} style={{ alignSelf: 'center' }}>
          {t('timeline.more')}
        </Button>
      )}
    </Stack>
  );
}
