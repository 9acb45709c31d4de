import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, Paper, Skeleton, Stack, TextInput, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { IconAlertTriangle, IconArrowLeft } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import type { Patient } from '@sanita/contracts/patients';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { ISO_DATE } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { usePatient, useUpdatePatient, type PatientUpdate } from '../api/patients.ts';
import { PatientFormFields } from '../components/PatientFormFields.tsx';
import { changedFields, usePatientForm, valuesFromPatient } from '../components/patientForm.ts';

function EditForm({ patient, onReload }: { patient: Patient; onReload: () => Promise<Patient | undefined> }) {
  const { t } = useTranslation('patients');
  const navigate = useNavigate();
  const [base, setBase] = useState(patient);
  const form = usePatientForm(valuesFromPatient(patient), t);
  const update = useUpdatePatient(patient.id);
  const [stale, setStale] = useState(false);
  const [deceased, setDeceased] = useState(patient.status === 'deceased');
  const [deceasedAt, setDeceasedAt] = useState(patient.deceasedAt ?? '');
  const today = dayjs().format(ISO_DATE);

  const submit = form.onSubmit((values) => {
    const changes: Omit<PatientUpdate, 'version'> = changedFields(valuesFromPatient(base), values);
    // Status is not part of registration, so it lives beside the shared fields.
    if (deceased !== (base.status === 'deceased') || (deceased && deceasedAt !== (base.deceasedAt ?? ''))) {
      changes.status = deceased ? 'deceased' : 'active';
      changes.deceasedAt = deceased && deceasedAt ? deceasedAt : null;
    }
    if (Object.keys(changes).length === 0) {
      notifySuccess(t('patients.noChanges'));
      void navigate(`/patients/${patient.id}`);
      return;
    }
    update.mutate(
      { version: base.version, ...changes },
      {
        onSuccess: () => {
          notifySuccess(t('patients.saved'));
          void navigate(`/patients/${patient.id}`);
        },
        onError: (err) => {
          if (isApiError(err, 'STALE_VERSION')) setStale(true);
          else handleFormError(form, err, t);
        },
      },
    );
  });

  const reload = async () => {
    const fresh = await onReload();
    if (!fresh) return;
    setBase(fresh);
    setDeceased(fresh.status === 'deceased');
    setDeceasedAt(fresh.deceasedAt ?? '');
    form.setValues(valuesFromPatient(fresh));
    form.resetDirty(valuesFromPatient(fresh));
    setStale(false);
  };

  return (
    <form onSubmit={submit} noValidate>
      {stale && (
        <Alert
          ref={(el) => el?.scrollIntoView({ block: 'center', behavior: 'smooth' })}
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('patients.stale.title')}
          mb="md"
          role="alert"
        >
          {t('patients.stale.message')}
          <Group mt="sm">
            <Button size="xs" color="orange" onClick={() => void reload()}>
              {t('patients.stale.reload')}
            </Button>
          </Group>
        </Alert>
      )}
      <PatientFormFields form={form} />
      <Paper p="md" mt="md">
        <Title order={2} mb="sm">
          {t('patient.sections.status')}
        </Title>
        <Group align="flex-end" gap="lg">
          <Checkbox label={t('patient.markDeceased')} checked={deceased} onChange={(e) => setDeceased(e.currentTarget.checked)} />
          {deceased && (
            <TextInput
              label={t('patient.fields.deceasedAt')}
              type="date"
              max={today}
              value={deceasedAt}
              onChange={(e) => setDeceasedAt(e.currentTarget.value)}
            />
          )}
        </Group>
      </Paper>
      <Group justify="flex-end" mt="md">
        <Button variant="default" component={Link} to={`/patients/${patient.id}`}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={update.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </form>
  );
}

export function EditPatientPage() {
  const { t } = useTranslation('patients');
  const { id = '' } = useParams();
  const patient = usePatient(id);

  if (patient.isPending) {
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={40} w={320} />
        <Skeleton h={420} radius="md" />
      </Stack>
    );
  }
  if (patient.isError) {
    if (isApiError(patient.error) && (patient.error.status === 404 || patient.error.status === 400)) return <NotFoundPage />;
    return <QueryError error={patient.error} onRetry={() => void patient.refetch()} />;
  }

  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to={`/patients/${id}`} size="sm">
            <Group gap={4} component="span">
              <IconArrowLeft size={14} aria-hidden />
              {t('patients.backToRecord')}
            </Group>
          </Anchor>
        }
        title={t('patients.editTitle', { name: fullName(patient.data) })}
        description={`${t('patient.fields.mrn')} ${patient.data.mrn}`}
      />
      <EditForm patient={patient.data} onReload={async () => (await patient.refetch()).data} />
    </>
  );
}
