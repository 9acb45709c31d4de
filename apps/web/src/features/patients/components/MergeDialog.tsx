import { useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import type { Patient, PatientSummary } from '@sanita/contracts/patients';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { fullName } from '../../../lib/labels.ts';
import { useMergePatient, useQuickPatientSearch } from '../api/patients.ts';

function Side({ title, patient }: { title: string; patient: PatientSummary }) {
  const { t } = useTranslation('patients');
  const f = useFormatters();
  return (
    <Paper p="sm">
      <Title order={3} size="sm" c="dimmed" mb={4}>
        {title}
      </Title>
      <Group gap={6} mb="xs">
        <Text fw={700}>{fullName(patient)}</Text>
        <PatientStatusBadge status={patient.status} />
      </Group>
      <InfoList cols={1}>
        <InfoItem label={t('patient.fields.mrn')}>{patient.mrn}</InfoItem>
        <InfoItem label={t('patient.fields.birthDate')}>
          {f.date(patient.birthDate)} ({f.age(patient.birthDate)})
        </InfoItem>
        <InfoItem label={t('patient.fields.sex')}>{t(`sex.${patient.sex}`)}</InfoItem>
        <InfoItem label={t('patient.fields.phones')}>{patient.phones.join(', ')}</InfoItem>
      </InfoList>
    </Paper>
  );
}

/** Folds a duplicate record into this one (the survivor) after a side-by-side check. */
export function MergeDialog({ survivor, opened, onClose }: { survivor: Patient; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('patients');
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 250);
  const [picked, setPicked] = useState<PatientSummary | null>(null);
  const search = useQuickPatientSearch(debounced, 10);
  const merge = useMergePatient(survivor.id);
  const candidates =
    debounced.trim().length >= 2 ? (search.data?.data ?? []).filter((p) => p.id !== survivor.id && p.status !== 'merged') : [];

  const close = () => {
    setQuery('');
    setPicked(null);
    onClose();
  };

  const confirm = () => {
    if (!picked) return;
    merge.mutate(picked.id, {
      onSuccess: () => {
        notifySuccess(t('patients.merge.done', { duplicate: picked.mrn, survivor: survivor.mrn }));
        close();
      },
      onError: (err) => notifyError(err, t),
    });
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={close}
      title={t('patients.merge.title')}
      size={picked ? 'xl' : 'lg'}
    >
      {!picked ? (
        <Stack gap="sm">
          <Text size="sm">{t('patients.merge.searchHelp')}</Text>
          <TextInput
            label={t('patients.merge.searchLabel')}
            placeholder={t('patients.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={search.isFetching ? <Loader size="xs" aria-hidden /> : null}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-autofocus
          />
          <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-live="polite">
            {candidates.map((p) => (
              <li key={p.id}>
                <UnstyledButton
                  onClick={() => setPicked(p)}
                  w="100%"
                  p="xs"
                  style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-sm)' }}
                >
                  <Text size="sm" fw={600}>
                    {fullName(p)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.mrn} · {p.birthDate} · {p.phones[0] ?? ''}
                  </Text>
                </UnstyledButton>
              </li>
            ))}
          </Stack>
          {debounced.trim().length >= 2 && !search.isFetching && candidates.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('patients.merge.noCandidates')}
            </Text>
          )}
        </Stack>
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Side title={t('patients.merge.keep')} patient={survivor} />
            <Side title={t('patients.merge.retire')} patient={picked} />
          </SimpleGrid>
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden />}>
            {t('patients.merge.warning', { duplicate: picked.mrn, survivor: survivor.mrn })}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPicked(null)}>
              {t('common.back')}
            </Button>
            <Button color="red" loading={merge.isPending} onClick={confirm}>
              {t('patients.merge.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
