import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { ImmunizationForm } from '../components/ImmunizationForm.tsx';
import { ImmunizationList } from '../components/ImmunizationList.tsx';

/** The chart's immunizations tab: record a vaccine (writers, active records), then every vaccine with its history. */
export function ImmunizationsSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('immunizations');
  const { can } = useAuth();
  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('title')}
      </Title>
      {can('immunizations:write') && patient.status === 'active' && (
        <ImmunizationForm patientId={patient.id} birthDate={patient.birthDate} />
      )}
      <Title order={3} size="h4">
        {t('list.title')}
      </Title>
      <ImmunizationList patientId={patient.id} birthDate={patient.birthDate} />
    </Stack>
  );
}
