import { Badge, Group, Skeleton, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { usePatientAlerts } from '../api/alerts.ts';
import { AcknowledgeButton, AlertScore } from './AlertsList.tsx';

/** The banner's item: this patient's open NEWS2 alerts, in red, each with Acknowledge; nothing when none. */
export function PatientAlertsBanner({ patient }: ChartPartProps) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  const alerts = usePatientAlerts(patient.id);
  if (!alerts.data?.length) return null;
  return (
    <Group gap="xs" wrap="wrap" role="status" data-testid="banner-alerts">
      {alerts.data.map((a) => (
        <Group
          key={a.id}
          gap={6}
          wrap="nowrap"
          px={8}
          py={2}
          bg="red.0"
          bd="1px solid var(--mantine-color-red-6)"
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          data-testid="banner-alert"
        >
          <IconAlertTriangle size={16} color="var(--mantine-color-red-8)" aria-hidden />
          <Text size="sm" fw={700} c="red.9">
            {t('alerts.banner', { total: a.total, risk: t(`news2.risk.${a.risk}`) })}
          </Text>
          <Text size="xs" c="red.9">
            {f.relative(a.raisedAt)}
          </Text>
          {a.escalationLevel > 0 && (
            <Badge size="xs" color="red" variant="filled">
              {t('alerts.escalated', { level: a.escalationLevel })}
            </Badge>
          )}
          <AcknowledgeButton alert={a} size="compact-xs" />
        </Group>
      ))}
    </Group>
  );
}

/** The summary's card: this patient's open alerts (or that there are none). */
export function AlertsSummaryCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  const alerts = usePatientAlerts(patient.id);
  return (
    <ChartCard title={t('alerts.summaryTitle')} testId="summary-alerts">
      {alerts.isPending ? (
        <Skeleton h={32} />
      ) : alerts.isError ? (
        <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : !alerts.data.length ? (
        <Text size="sm" c="dimmed">
          {t('alerts.noneForPatient')}
        </Text>
      ) : (
        alerts.data.map((a) => (
          <Group key={a.id} gap="xs" wrap="wrap">
            <AlertScore alert={a} />
            <Text size="xs" c="dimmed">
              {t('alerts.raised', { when: f.relative(a.raisedAt) })}
            </Text>
            {a.escalationLevel > 0 && (
              <Badge size="xs" color="red" variant="outline">
                {t('alerts.escalated', { level: a.escalationLevel })}
              </Badge>
            )}
            <AcknowledgeButton alert={a} />
          </Group>
        ))
      )}
    </ChartCard>
  );
}
