import { Badge, ColorSwatch, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_STATUSES, type AppointmentStatus } from '../api/appointments.ts';

/** One colour per status, shared by the calendar blocks, the legend and the badges. */
export const STATUS_COLORS: Record<AppointmentStatus, string> = {
  held: 'gray',
  requested: 'yellow',
  booked: 'blue',
  checked_in: 'teal',
  in_progress: 'violet',
  completed: 'green',
  cancelled: 'red',
  no_show: 'orange',
};

export function AppointmentStatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation('scheduling');
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {t(`apptStatus.${status}`)}
    </Badge>
  );
}

export function StatusLegend() {
  const { t } = useTranslation('scheduling');
  return (
    <Group gap="sm" component="ul" aria-label={t('schedule.legend')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {APPOINTMENT_STATUSES.map((s) => (
        <Group key={s} gap={4} component="li" wrap="nowrap">
          <ColorSwatch color={`var(--mantine-color-${STATUS_COLORS[s]}-6)`} size={12} aria-hidden />
          <Text size="xs">{t(`apptStatus.${s}`)}</Text>
        </Group>
      ))}
    </Group>
  );
}
