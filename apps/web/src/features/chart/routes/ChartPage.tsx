import { Anchor, Group, Skeleton, Stack, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { usePatient } from '../../patients/index.ts';
import { PatientBanner } from '../components/PatientBanner.tsx';
import { VitalsForm } from '../components/VitalsForm.tsx';
import { VitalsTable } from '../components/VitalsTable.tsx';

/** A patient's clinical chart: the banner always in view, then the vitals (record a set, the sets so far). */
export function ChartPage() {
  const { t } = useTranslation('chart');
  const { id = '' } = useParams();
  const { can } = useAuth();
  const patient = usePatient(id);

  const back = can('patients:read') ? (
    <Anchor component={Link} to={`/patients/${id}`} size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('chart.backToRecord')}
      </Group>
    </Anchor>
  ) : null;

  if (patient.isPending) {
    return (
      <Stack gap="md" aria-busy>
        {back}
        <Skeleton h={56} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  }
  if (patient.isError) {
    if (isApiError(patient.error) && (patient.error.status === 404 || patient.error.status === 400)) return <NotFoundPage />;
    return (
      <>
        {back}
        <QueryError error={patient.error} onRetry={() => void patient.refetch()} />
      </>
    );
  }

  return (
    <>
      {back}
      <PatientBanner patient={patient.data} />
      <Stack gap="md">
        <Title order={2} size="h2">
          {t('vitals.title')}
        </Title>
        {can('chart:write') && patient.data.status === 'active' && <VitalsForm patientId={id} />}
        <Title order={3} size="h4">
          {t('vitals.history')}
        </Title>
        <VitalsTable patientId={id} />
      </Stack>
    </>
  );
}
