import { Badge, Group, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@sanita/contracts/timeline';
import { useFormatters } from '../../../lib/dates.ts';

/** A consultation note on the timeline: signed or draft, its template and primary diagnosis (never its text). */
export function NoteTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const d = item.data as {
    template: string;
    signed: boolean;
    signedAt: string | null;
    diagnosisCode: string | null;
    diagnosis: string | null;
  };
  const signed = d.signedAt ? dayjs(d.signedAt).tz(f.timezone) : null;
  const sameDay = signed?.isSame(dayjs(item.at).tz(f.timezone), 'day');
  return (
    <Group gap="xs" wrap="nowrap">
      <Badge size="xs" variant={d.signed ? 'filled' : 'outline'} color={d.signed ? 'teal.9' : 'gray'} style={{ flexShrink: 0 }}>
        {t(d.signed ? 'status.signed' : 'status.draft')}
      </Badge>
      <Text size="xs" lineClamp={1}>
        {[
          t(`templates.${d.template}`),
          d.diagnosisCode ? `${d.diagnosisCode} ${d.diagnosis ?? ''}`.trim() : null,
          signed ? t('timeline.signedAt', { at: sameDay ? signed.format('HH:mm') : f.dateTime(d.signedAt) }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
    </Group>
  );
}
