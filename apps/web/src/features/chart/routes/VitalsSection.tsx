import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useVitals } from '../api/vitals.ts';
import { VitalsForm } from '../components/VitalsForm.tsx';
import { VitalsTable } from '../components/VitalsTable.tsx';
import { VitalsTrends } from '../components/VitalsTrends.tsx';

/** The chart's vitals tab: record a set (with its NEWS2 live), the trends of the sets loaded, then the sets. */
export function VitalsSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('chart');
  const { can } = useAuth();
  // the table's query (one cache entry): the trends chart the sets it has loaded
  const vitals = useVitals(patient.id);
  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('vitals.title')}
      </Title>
      {can('chart:write') && patient.status === 'active' && <VitalsForm patientId={patient.id} />}
      <VitalsTrends sets={vitals.rows} />
      <Title order={3} size="h4">
        {t('vitals.history')}
      </Title>
      <VitalsTable patientId={patient.id} />
    </Stack>
  );
}
