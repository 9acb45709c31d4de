import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TicketStatus } from '../api/queue.ts';

const COLOR: Record<TicketStatus, string> = {
  waiting: 'gray',
  called: 'orange',
  in_service: 'brand',
  done: 'green',
  skipped: 'red',
  transferred: 'violet',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation('queue');
  return (
    <Badge size="sm" variant="light" color={COLOR[status]}>
      {t(`queue.status.${status}`)}
    </Badge>
  );
}
