import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useToday } from '../api/encounters.ts';
import { TodayCounts, TodayList } from '../components/TodayList.tsx';

/** "My patients today": the signed-in practitioner's day at the active clinic, live. */
export function TodayPage() {
  const { t } = useTranslation('encounters');
  const { activeClinic } = useAuth();
  const today = useToday(activeClinic?.id ?? null);
  return (
    <Stack gap="sm">
      <PageHeader
        title={t('today.title')}
        description={today.data && !today.data.practitioner ? t('today.descriptionNoPractitioner') : t('today.description')}
      />
      {today.data && today.data.data.length > 0 && <TodayCounts today={today.data} />}
      <TodayList today={today.data} isLoading={today.isPending} error={today.error} onRetry={() => void today.refetch()} />
    </Stack>
  );
}
