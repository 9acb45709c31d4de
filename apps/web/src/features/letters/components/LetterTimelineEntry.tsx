import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@sanita/contracts/timeline';
import { useFormatters } from '../../../lib/dates.ts';

/** A letter on the timeline: its kind and what it is about (the sick note's days, the referral's recipient, the visit summarised). */
export function LetterTimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation('letters');
  const f = useFormatters();
  const d = item.data as {
    kind: string;
    revoked: boolean;
    recipient: string | null;
    restFrom: string | null;
    restTo: string | null;
    visitStartedAt?: string | null;
  };
  const gist =
    d.kind === 'sick_note' && d.restFrom && d.restTo
      ? t('gist.sickNote', { from: f.date(d.restFrom), to: f.date(d.restTo) })
      : d.kind === 'referral'
        ? t('gist.referral', { recipient: d.recipient })
        : d.kind === 'visit_summary' && d.visitStartedAt
          ? t('gist.visit', { date: f.dateTime(d.visitStartedAt) })
          : '';
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="xs">
        {t(`kinds.${d.kind}`)}
        {gist ? ` · ${gist}` : ''}
      </Text>
      {d.revoked && (
        <Badge color="red" variant="light" size="xs">
          {t('revoked')}
        </Badge>
      )}
    </Group>
  );
}
