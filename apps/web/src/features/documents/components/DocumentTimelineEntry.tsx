import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@sanita/contracts/timeline';

/** A document on the timeline: its title, category and file type (the content opens in its preview). */
export function DocumentTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('documents');
  const d = item.data as { title: string; category: string; contentType: string; source: string; status: string };
  const error = d.status === 'entered_in_error';
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="xs" fw={600} lineClamp={1} td={error ? 'line-through' : undefined}>
        {d.title}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {[t(`documents.categories.${d.category}`), (d.contentType.split('/')[1] ?? d.contentType).toUpperCase()].join(' · ')}
      </Text>
      {d.source === 'portal' && (
        <Badge size="xs" variant="outline" style={{ flexShrink: 0 }}>
          {t('documents.fromPortal')}
        </Badge>
      )}
      {error && (
        <Badge size="xs" color="red.9" style={{ flexShrink: 0 }}>
          {t('documents.enteredInError')}
        </Badge>
      )}
    </Group>
  );
}
