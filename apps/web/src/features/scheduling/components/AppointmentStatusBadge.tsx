import { Badge, ColorSwatch, Group, Text, Tooltip } from '@mantine/core';
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
        // what the status means on hover or focus ("In progress": the patient is being seen)
        <Tooltip key={s} label={t(`apptStatusHelp.${s}`)} multiline w={260} withArrow>
          <Group
            gap={4}
            component="li"
            wrap="nowrap"
            tabIndex={0}
            aria-label={`${t(`apptStatus.${s}`)}: ${t(`apptStatusHelp.${s}`)}`}
          >
            <ColorSwatch color={`var(--mantine-color-${STATUS_COLORS[s]}-6)`} size={12} aria-hidden />
            <Text size="xs" style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3 }}>
              {t(`apptStatus.${s}`)}
            </Text>
          </Group>
        </Tooltip>
      ))}
      <Group gap={4} component="li" wrap="nowrap">
        <Badge size="xs" color="orange" variant="filled" aria-hidden>
          %
        </Badge>
        <Text size="xs">{t('schedule.riskLegend')}</Text>
      </Group>
    </Group>
  );
}
