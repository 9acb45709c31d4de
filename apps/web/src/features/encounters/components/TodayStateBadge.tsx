import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TodayItem } from '../api/encounters.ts';

const COLORS = { booked: 'gray', waiting: 'brand', called: 'orange', in_consultation: 'blue', done: 'green' } as const;

/** Where a patient of the day stands: booked, waiting (or called to the room), in consultation, done. */
export function TodayStateBadge({ item }: { item: Pick<TodayItem, 'state' | 'ticketStatus'> }) {
  const { t } = useTranslation('encounters');
  const state = item.state === 'waiting' && item.ticketStatus === 'called' ? 'called' : item.state;
  return (
    <Badge variant="filled" color={COLORS[state]} styles={{ root: { textTransform: 'none' } }} data-state={item.state}>
      {t(`states.${state}`)}
    </Badge>
  );
}
