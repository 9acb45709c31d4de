import { useState } from 'react';
import { Badge, Button, Group, Text } from '@mantine/core';
import { IconAlertOctagon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { testName } from './labels.ts';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useLabAlerts, type LabCriticalAlert } from '../api/lab.ts';
import { AcknowledgeModal } from './CriticalAlerts.tsx';
import { FlagMark } from './Badges.tsx';

/** The chart banner's item: this patient's critical lab values waiting for the user, each with Acknowledge. */
export function PatientCriticalBanner({ patient }: ChartPartProps) {
  const { t, i18n } = useTranslation('lab');
  const alerts = useLabAlerts();
  const [acknowledging, setAcknowledging] = useState<LabCriticalAlert | null>(null);
  const mine = alerts.data?.filter((a) => a.patient.id === patient.id) ?? [];
  if (!mine.length) return null;
  return (
    <Group gap="xs" wrap="wrap" role="status" data-testid="banner-lab-critical">
      {mine.map((a) => (
        <Group
          key={a.id}
          gap={6}
          wrap="nowrap"
          px={8}
          py={2}
          bg="red.0"
          bd="1px solid var(--mantine-color-red-6)"
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
        >
          <IconAlertOctagon size={16} color="var(--mantine-color-red-8)" aria-hidden />
          <Text size="sm" fw={700} c="red.9">
            {t('alerts.banner', {
              name: testName(a.result, i18n.resolvedLanguage),
              value: a.result.value,
              unit: a.result.unit ?? '',
            })}
          </Text>
          <FlagMark flag={a.result.flag} />
          {a.level > 0 && (
            <Badge size="xs" color="red" variant="filled">
              {t('alerts.escalated', { level: a.level })}
            </Badge>
          )}
          <Button size="compact-xs" color="red" onClick={() => setAcknowledging(a)}>
            {t('alerts.acknowledge')}
          </Button>
        </Group>
      ))}
      {acknowledging && <AcknowledgeModal alert={acknowledging} onClose={() => setAcknowledging(null)} />}
    </Group>
  );
}
