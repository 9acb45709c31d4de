import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@sanita/contracts/timeline';

/** A vaccine on the timeline: its name, dose, and whether it was given here or reported. */
export function ImmunizationTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('immunizations');
  const d = item.data as { vaccine: string; doseNumber: number | null; source: string; status: string };
  const error = d.status === 'entered_in_error';
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="xs" fw={600} lineClamp={1} td={error ? 'line-through' : undefined}>
        {d.vaccine}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {[d.doseNumber ? t('card.dose', { n: d.doseNumber }) : null, t(`sources.${d.source}`)].filter(Boolean).join(' · ')}
      </Text>
      {error && (
        <Badge size="xs" color="red.9" style={{ flexShrink: 0 }}>
          {t('status.entered_in_error')}
        </Badge>
      )}
    </Group>
  );
}
