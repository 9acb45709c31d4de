import { Badge } from '@mantine/core';
import { IconCircleCheck, IconGitMerge, IconHeartOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { PatientStatus } from '@sanita/contracts/patients';

const LOOK: Record<PatientStatus, { color: string; icon: typeof IconCircleCheck }> = {
  active: { color: 'green', icon: IconCircleCheck },
  deceased: { color: 'gray', icon: IconHeartOff },
  merged: { color: 'violet', icon: IconGitMerge },
};

/** Status as text and icon, never by color alone. */
export function PatientStatusBadge({ status }: { status: PatientStatus }) {
  const { t } = useTranslation();
  const look = LOOK[status];
  const Icon = look.icon;
  return (
    <Badge variant="light" color={look.color} leftSection={<Icon size={12} aria-hidden />}>
      {t(`patient.status.${status}`)}
    </Badge>
  );
}
