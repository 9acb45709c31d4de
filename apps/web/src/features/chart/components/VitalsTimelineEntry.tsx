import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '../api/timeline.ts';
import { formatBp } from '../lib/vitals.ts';

/** A set of vitals on the timeline: its NEWS2 and main measures on one line. */
export function VitalsTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('chart');
  const d = item.data as Record<string, number | string | null>;
  const parts = [
    d.systolic !== null ? `${t('vitals.columns.bp')} ${formatBp(d.systolic as number, d.diastolic as number | null)}` : null,
    d.heartRate !== null ? `${t('vitals.columns.heartRate')} ${d.heartRate}` : null,
    d.respiratoryRate !== null ? `${t('vitals.columns.respiratoryRate')} ${d.respiratoryRate}` : null,
    d.temperature !== null ? `${t('vitals.columns.temperature')} ${d.temperature}` : null,
    d.spo2 !== null ? `${t('vitals.columns.spo2')} ${d.spo2} %` : null,
  ].filter(Boolean);
  return (
    <Group gap="xs" wrap="wrap">
      {d.news2 !== null && (
        <Text size="xs" fw={700}>
          NEWS2 {d.news2} · {t(`news2.risk.${String(d.risk)}`)}
        </Text>
      )}
      <Text size="xs">{parts.join(' · ')}</Text>
    </Group>
  );
}
