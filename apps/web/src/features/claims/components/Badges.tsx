import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ClaimStatus } from '../api/claims.ts';

const STATUS_COLOR: Record<ClaimStatus, string> = {
  draft: 'gray',
  submitted: 'blue',
  in_review: 'violet',
  approved: 'green',
  partially_approved: 'orange',
  denied: 'red',
  paid: 'teal',
};

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation('claims');
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`status.${status}`)}
    </Badge>
  );
}

/** The anomaly score, coloured: under 0.3 green, under 0.6 orange, else red. */
export function ScoreBadge({ score }: { score: number | null }) {
  const { t } = useTranslation('claims');
  if (score === null)
    return (
      <Badge color="gray" variant="outline">
        {t('score.none')}
      </Badge>
    );
  const s = score.toFixed(2);
  const [color, key] = score >= 0.6 ? ['red', 'high'] : score >= 0.3 ? ['orange', 'medium'] : ['green', 'low'];
  return (
    <Badge color={color} variant={score >= 0.3 ? 'filled' : 'light'}>
      {t(`score.${key}`, { score: s })}
    </Badge>
  );
}
