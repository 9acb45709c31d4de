import { Alert, Anchor, Button, Group, Skeleton, Stack, Tabs } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconEdit, IconGitMerge, IconHeartbeat, IconInfoCircle } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AccessLogTable } from '../../../components/AccessLogTable.tsx';
import { PatientDetails } from '../../../components/PatientDetails.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { PatientBillingButton } from '../../billing/index.ts';
import { patientKeys, useAccessLogFetcher, usePatient } from '../api/patients.ts';
import { MergeDialog } from '../components/MergeDialog.tsx';
import { PatientHeaderCard } from '../components/PatientHeaderCard.tsx';

export function PatientPage() {
  const { t } = useTranslation('patients');
  const { id = '' } = useParams();
  const { can, me } = useAuth();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'access' ? 'access' : 'details';
  const patient = usePatient(id);
  const fetchAccessLog = useAccessLogFetcher(id);
  const [mergeOpened, merge] = useDisclosure(false);

  const back = (
    <Anchor component={Link} to="/patients" size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('patients.backToList')}
      </Group>
    </Anchor>
  );

  if (patient.isPending) {
    return (
      <Stack gap="md" aria-busy>
        {back}
        <Skeleton h={96} radius="md" />
        <Skeleton h={240} radius="md" />
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

  const p = patient.data;
  const editable = p.status !== 'merged';
  const clinicName = me?.clinics.find((c) => c.id === p.primaryClinicId)?.name ?? null;

  return (
    <>
      {back}
      <PatientHeaderCard
        patient={p}
        actions={
          <>
            {can('chart:read') && (
              <Button
                variant="default"
                component={Link}
                to={`/patients/${p.id}/chart`}
                leftSection={<IconHeartbeat size={16} aria-hidden />}
              >
                {t('patients.openChart')}
              </Button>
            )}
            <PatientBillingButton patientId={p.id} mrn={p.mrn} />
            {can('patients:merge') && editable && (
              <Button variant="default" leftSection={<IconGitMerge size={16} aria-hidden />} onClick={merge.open}>
                {t('patients.merge.action')}
              </Button>
            )}
            {can('patients:write') && editable && (
              <Button component={Link} to={`/patients/${p.id}/edit`} leftSection={<IconEdit size={16} aria-hidden />}>
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      {p.status === 'merged' && p.mergedIntoId && (
        <Alert color="violet" icon={<IconInfoCircle aria-hidden />} mb="md">
          {t('patients.mergedInto')}{' '}
          <Anchor component={Link} to={`/patients/${p.mergedIntoId}`}>
            {t('patients.openSurvivor')}
          </Anchor>
        </Alert>
      )}
      <Tabs
        value={tab}
        onChange={(value) => setSearch(value === 'access' ? { tab: 'access' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="details">{t('patients.tabs.details')}</Tabs.Tab>
          <Tabs.Tab value="access">{t('patients.tabs.accessLog')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <PatientDetails patient={p} clinicName={clinicName} />
        </Tabs.Panel>
        <Tabs.Panel value="access">
          <AccessLogTable queryKey={patientKeys.accessLog(p.id)} fetchPage={fetchAccessLog} caption={t('accessLog.caption')} />
        </Tabs.Panel>
      </Tabs>
      {can('patients:merge') && <MergeDialog survivor={p} opened={mergeOpened} onClose={merge.close} />}
    </>
  );
}
