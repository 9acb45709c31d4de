import { Badge, Group, Paper, Skeleton, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useClinicAlerts } from '../api/alerts.ts';
import { AlertsList } from './AlertsList.tsx';

/** Roles whose home shows the clinic's open alerts. */
const ROLES = ['doctor', 'nurse'];

/** The nurse's and the doctor's home panel: the clinic's open NEWS2 alerts, live. */
export function AlertsHomePanel() {
  const { me } = useAuth();
  return me?.roles.some((r) => ROLES.includes(r)) ? <OpenAlerts /> : null;
}

function OpenAlerts() {
  const { t } = useTranslation('chart');
  const alerts = useClinicAlerts();
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-alerts" data-testid="home-alerts">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={2} size="h4" id="home-alerts">
            {t('alerts.title')}
          </Title>
          {!!alerts.data?.length && (
            <Badge color="red" variant="filled">
              {alerts.data.length}
            </Badge>
          )}
        </Group>
        {alerts.isPending ? (
          <Skeleton h={60} />
        ) : alerts.isError ? (
          <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : (
          <AlertsList alerts={alerts.data} />
        )}
      </Stack>
    </Paper>
  );
}
