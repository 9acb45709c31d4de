import { useState } from 'react';
import { Anchor, Box, Button, Grid, Group, Modal, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import type { PatientSummary } from '@sanita/contracts/patients';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { useCreatePatient } from '../api/patients.ts';
import { DuplicatePanel } from '../components/DuplicatePanel.tsx';
import { PatientFormFields } from '../components/PatientFormFields.tsx';
import { PatientMiniRow } from '../components/PatientMiniRow.tsx';
import { createBody, EMPTY_PATIENT, usePatientForm } from '../components/patientForm.ts';

/** A name typed in the search box that found nobody is the likely name of the new patient. */
function prefillFromSearch(q: string | null) {
  const words = (q ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => /^\p{L}[\p{L}'-]*$/u.test(w));
  if (words.length < 2) return EMPTY_PATIENT;
  return { ...EMPTY_PATIENT, givenName: words.slice(0, -1).join(' '), familyName: words.at(-1) ?? '' };
}

export function NewPatientPage() {
  const { t } = useTranslation('patients');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = usePatientForm(prefillFromSearch(params.get('name')), t);
  const create = useCreatePatient();
  const [suspects, setSuspects] = useState<PatientSummary[] | null>(null);
  const values = form.getValues();

  const save = (allowDuplicate: boolean) => {
    const body = createBody(form.getValues());
    create.mutate(allowDuplicate ? { ...body, allowDuplicate: true } : body, {
      onSuccess: (patient) => {
        setSuspects(null);
        notifySuccess(t('patients.created', { mrn: patient.mrn }));
        void navigate(`/patients/${patient.id}`);
      },
      onError: (err) => {
        if (isApiError(err, 'DUPLICATE_SUSPECTED')) {
          const details = err.details as { candidates?: PatientSummary[] } | undefined;
          setSuspects(details?.candidates ?? []);
        } else {
          handleFormError(form, err, t);
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/patients" size="sm">
            <Group gap={4} component="span">
              <IconArrowLeft size={14} aria-hidden />
              {t('patients.backToList')}
            </Group>
          </Anchor>
        }
        title={t('patients.newTitle')}
        description={t('patients.newSubtitle')}
      />
      <form onSubmit={form.onSubmit(() => save(false))} noValidate>
        <Grid gutter="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <PatientFormFields form={form} />
            <Group justify="flex-end" mt="md">
              <Button variant="default" component={Link} to="/patients">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('patients.register')}
              </Button>
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Box pos="sticky" top={68}>
              <DuplicatePanel
                givenName={values.givenName}
                familyName={values.familyName}
                birthDate={values.birthDate}
                phone={values.phones[0] ?? ''}
              />
            </Box>
          </Grid.Col>
        </Grid>
      </form>

      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={suspects !== null}
        onClose={() => setSuspects(null)}
        title={t('patients.duplicates.dialogTitle')}
        size="lg"
      >
        <Stack gap="sm">
          <Text size="sm">{t('patients.duplicates.dialogHelp')}</Text>
          <Stack gap="sm" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {(suspects ?? []).map((c) => (
              <Group key={c.id} component="li" justify="space-between" wrap="nowrap">
                <PatientMiniRow patient={c} />
                <Button size="xs" variant="light" component={Link} to={`/patients/${c.id}`}>
                  {t('patients.duplicates.open')}
                </Button>
              </Group>
            ))}
          </Stack>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={() => setSuspects(null)}>
              {t('common.back')}
            </Button>
            <Button color="orange" loading={create.isPending} onClick={() => save(true)}>
              {t('patients.duplicates.registerAnyway')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
