import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MessageStatus } from '../api/hl7.ts';

const COLOURS: Record<MessageStatus, string> = {
  processed: 'green',
  sent: 'green',
  unmatched: 'orange',
  pending: 'gray',
  retrying: 'yellow',
  error: 'red',
  failed: 'red',
  rejected: 'grape',
};

/** A message's status as a badge (colour and word: never colour alone). */
export function StatusBadge({ status }: { status: MessageStatus }) {
  const { t } = useTranslation('hl7');
  return (
    <Badge color={COLOURS[status]} variant="light" data-status={status} style={{ minWidth: 'max-content' }}>
      {t(`status.${status}`)}
    </Badge>
  );
}
