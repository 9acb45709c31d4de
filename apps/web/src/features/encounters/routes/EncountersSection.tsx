import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EncountersTable } from '../components/EncountersTable.tsx';

/** The chart's tab of encounters: every consultation of the patient, newest first. */
export function EncountersSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('encounters');
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('list.title')}
      </Title>
      <EncountersTable patientId={patient.id} />
    </Stack>
  );
}
