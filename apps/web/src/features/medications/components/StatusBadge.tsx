import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PrescriptionStatus } from '../api/medications.ts';

const COLOR: Record<PrescriptionStatus, string> = {
  draft: 'gray',
  active: 'blue',
  completed: 'green',
  cancelled: 'red',
  expired: 'gray',
};

export function PrescriptionStatusBadge({ status }: { status: PrescriptionStatus }) {
  const { t } = useTranslation('medications');
  return (
    <Badge size="sm" variant="light" color={COLOR[status]} data-testid="rx-status-badge">
      {t(`prescriptionStatus.${status}`)}
    </Badge>
  );
}
