import { Anchor, Group, Paper, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useToday } from '../api/encounters.ts';
import { TodayCounts, TodayList } from './TodayList.tsx';

/** The home page's panel of the practitioner's day: the same live list as /today. */
export function TodayPanel() {
  const { t } = useTranslation('encounters');
  const { activeClinic } = useAuth();
  const today = useToday(activeClinic?.id ?? null);
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="today-panel-title" data-testid="home-today">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="today-panel-title">
            {t('today.panelTitle')}
          </Title>
          <Anchor component={Link} to="/today" size="sm">
            {t('today.seeAll')}
          </Anchor>
        </Group>
        {today.data && today.data.data.length > 0 && <TodayCounts today={today.data} />}
        <TodayList
          compact
          today={today.data}
          isLoading={today.isPending}
          error={today.error}
          onRetry={() => void today.refetch()}
        />
      </Stack>
    </Paper>
  );
}
