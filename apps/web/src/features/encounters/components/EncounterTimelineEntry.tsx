import { Group, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@sanita/contracts/timeline';
import { useFormatters } from '../../../lib/dates.ts';
import type { EncounterStatus, EncounterType } from '../api/encounters.ts';
import { EncounterStatusBadge } from './EncounterStatusBadge.tsx';

/** An encounter on the timeline: its type, reason and end on one line, its status as a badge. */
export function EncounterTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('encounters');
  const f = useFormatters();
  const d = item.data as { type: EncounterType; status: EncounterStatus; reason: string | null; endedAt: string | null };
  const ended = d.endedAt ? dayjs(d.endedAt).tz(f.timezone) : null;
  const sameDay = ended?.isSame(dayjs(item.at).tz(f.timezone), 'day');
  return (
    <Group gap="xs" wrap="nowrap">
      <EncounterStatusBadge status={d.status} size="xs" />
      <Text size="xs" lineClamp={1}>
        {[
          t(`types.${d.type}`),
          d.reason,
          ended ? t('timeline.ended', { time: sameDay ? ended.format('HH:mm') : f.dateTime(d.endedAt) }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
    </Group>
  );
}
