import { Badge, List, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NoShowFactor } from '../api/appointments.ts';

function riskColor(risk: number): string {
  if (risk >= 0.5) return 'red';
  if (risk >= 0.25) return 'orange';
  return 'gray';
}

/** The booked-time no-show estimate, with the factors behind it in a tooltip. */
export function RiskBadge({ risk, factors, compact = false }: { risk: number; factors: NoShowFactor[]; compact?: boolean }) {
  const { t } = useTranslation('scheduling');
  const percent = Math.round(risk * 100);
  const label = t('schedule.risk', { percent });
  return (
    <Tooltip
      withArrow
      multiline
      w={260}
      label={
        <Stack gap={2}>
          <Text size="xs" fw={600}>
            {label}
          </Text>
          {factors.length === 0 ? (
            <Text size="xs">{t('schedule.riskNoFactors')}</Text>
          ) : (
            <>
              <Text size="xs">{t('schedule.riskFactors')}</Text>
              <List size="xs" spacing={0}>
                {factors.map((f) => (
                  <List.Item key={f.code}>
                    {t(`schedule.factors.${f.code}`, {
                      value: f.value,
                      total: f.total ?? 0,
                      day: t(`availability.weekdays.${f.value}`),
                    })}{' '}
                    {f.weight >= 0 ? '↑' : '↓'}
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      }
    >
      <Badge
        size={compact ? 'xs' : 'sm'}
        color={riskColor(risk)}
        variant={risk >= 0.25 ? 'filled' : 'light'}
        tabIndex={0}
        aria-label={label}
        style={{ cursor: 'help', flexShrink: 0 }}
      >
        {compact ? t('schedule.riskShort', { percent }) : label}
      </Badge>
    </Tooltip>
  );
}
