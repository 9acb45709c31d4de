import { Badge, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EncounterStatus } from '../api/encounters.ts';

const COLORS: Record<EncounterStatus, string> = { in_progress: 'blue', finished: 'green', cancelled: 'gray' };

/** An encounter's status: in progress, finished or cancelled. */
export function EncounterStatusBadge({ status, size }: { status: EncounterStatus; size?: MantineSize }) {
  const { t } = useTranslation('encounters');
  return (
    <Badge variant="filled" size={size} color={COLORS[status]} styles={{ root: { textTransform: 'none', flexShrink: 0 } }}>
      {t(`statuses.${status}`)}
    </Badge>
  );
}
