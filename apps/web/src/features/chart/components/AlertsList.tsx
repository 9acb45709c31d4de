import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useAcknowledgeAlert, type News2Alert } from '../api/alerts.ts';
import { RISK_COLOR } from '../lib/vitals.ts';

/** An alert's score, coloured by risk and spelled out. */
export function AlertScore({ alert }: { alert: News2Alert }) {
  const { t } = useTranslation('chart');
  const risk = t(`news2.risk.${alert.risk}`);
  return (
    <Badge
      color={RISK_COLOR[alert.risk]}
      variant="filled"
      styles={{
        root: {
          textTransform: 'none',
          ...(alert.risk === 'low_medium' ? { color: 'var(--mantine-color-black)' } : {}),
        },
      }}
    >
      {t('news2.scoreLabel', { total: alert.total, risk })}
    </Badge>
  );
}

/** Acknowledge, for who may record in the chart; a conflict (someone was faster) just refreshes. */
export function AcknowledgeButton({ alert, size = 'xs' }: { alert: News2Alert; size?: 'xs' | 'compact-xs' | 'sm' }) {
  const { t } = useTranslation('chart');
  const { can } = useAuth();
  const ack = useAcknowledgeAlert();
  if (!can('chart:write')) return null;
  return (
    <Button
      size={size}
      color="red"
      variant="light"
      loading={ack.isPending && ack.variables?.id === alert.id}
      data-testid="alert-acknowledge"
      onClick={() =>
        ack.mutate(
          { id: alert.id },
          {
            onSuccess: () =>
              notifications.show({
                color: 'teal',
                message: t('alerts.acknowledged'),
                closeButtonProps: { 'aria-label': t('alerts.dismiss') },
              }),
            onError: () =>
              notifications.show({
                color: 'orange',
                message: t('alerts.alreadyAcknowledged'),
                closeButtonProps: { 'aria-label': t('alerts.dismiss') },
              }),
          },
        )
      }
    >
      {t('alerts.acknowledge')}
    </Button>
  );
}

/** The clinic's open alerts: who, the score, since when, escalation; Acknowledge and Open chart on each. */
export function AlertsList({ alerts, onNavigate }: { alerts: News2Alert[]; onNavigate?: () => void }) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  if (!alerts.length)
    return (
      <Text size="sm" c="dimmed" data-testid="alerts-empty">
        {t('alerts.none')}
      </Text>
    );
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="alerts-list">
      {alerts.map((a) => (
        <li key={a.id} data-testid="alert-item">
          <Stack gap={4}>
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <div>
                <Text size="sm" fw={600}>
                  {a.patient?.name ?? t('alerts.patient')}
                </Text>
                {a.patient && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {a.patient.mrn}
                  </Text>
                )}
              </div>
              <AlertScore alert={a} />
            </Group>
            <Group gap="xs" wrap="wrap">
              <Text size="xs" c="dimmed">
                {t('alerts.raised', { when: f.relative(a.raisedAt) })}
              </Text>
              {a.escalationLevel > 0 && (
                <Badge size="xs" color="red" variant="outline">
                  {t('alerts.escalated', { level: a.escalationLevel })}
                </Badge>
              )}
            </Group>
            <Group gap="xs">
              <AcknowledgeButton alert={a} />
              <Anchor component={Link} to={`/patients/${a.patientId}/chart/vitals`} size="xs" onClick={onNavigate}>
                {t('alerts.openChart')}
              </Anchor>
            </Group>
          </Stack>
        </li>
      ))}
    </Stack>
  );
}
