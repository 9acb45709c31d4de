import { useCallback, useEffect, useState } from 'react';
import { Anchor, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { consultationPanels } from '../../../app/parts.ts';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { LatestVitalsCard, useVitals } from '../../chart/index.ts';
import { allergyText, useAllergies } from '../../history/index.ts';
import { EncounterHeader, FinishEncounterButton, useEncounter } from '../../encounters/index.ts';
import { usePatient } from '../../patients/index.ts';
import { useEncounterNote, useShortcuts, type EncounterNote } from '../api/notes.ts';
import { NoteEditor } from '../components/NoteEditor.tsx';
import { NoteView } from '../components/NoteView.tsx';

type Patient = NonNullable<ReturnType<typeof usePatient>['data']>;

/**
 * The consultation (`/encounters/:id`): the patient banner kept in view, the encounter's header with
 * its finish button, the note (editor while it is a draft and the user may write; read-only once
 * signed, with addenda and history) and the latest vitals beside it.
 */
export function ConsultationPage() {
  const { id = '' } = useParams();
  const note = useEncounterNote(id);
  if (note.isPending)
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={56} radius="md" />
        <Skeleton h={400} radius="md" />
      </Stack>
    );
  if (note.isError) {
    if (isApiError(note.error) && (note.error.status === 404 || note.error.status === 400)) return <NotFoundPage />;
    return <QueryError error={note.error} onRetry={() => void note.refetch()} />;
  }
  return <Consultation data={note.data} key={`${id}:${note.data.note?.status === 'signed' ? 'signed' : 'draft'}`} />;
}

function Consultation({ data }: { data: EncounterNote }) {
  const { t } = useTranslation('notes');
  const { can } = useAuth();
  const patientId = data.encounter.patientId;
  const patient = usePatient(patientId);
  const encounter = useEncounter(data.encounter.id);
  const canWrite = can('notes:write');
  const note = data.note;
  const [allergies, setAllergies] = useState<string | undefined>();
  const expand = useExpansions(patientId, allergies);

  return (
    <Stack gap="md">
      {can('chart:read') && (
        <Anchor component={Link} to={`/patients/${patientId}/chart`} size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden />
            {t('consultation.backToChart')}
          </Group>
        </Anchor>
      )}
      {can('history:read') && <AllergiesText patientId={patientId} onText={setAllergies} />}
      {patient.data ? <Banner patient={patient.data} /> : <Skeleton h={48} radius="md" />}
      {encounter.data && (
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div style={{ flex: 1, minWidth: 280 }}>
            <EncounterHeader encounter={encounter.data} />
          </div>
          <FinishEncounterButton encounter={encounter.data} />
        </Group>
      )}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-label={t('list.title')}>
            {note && (note.status === 'signed' || !canWrite) ? (
              <NoteView note={note} canWrite={canWrite} />
            ) : canWrite ? (
              <NoteEditor data={data} expand={expand} />
            ) : (
              <Text size="sm" c="dimmed">
                {t('view.noNote')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          {patient.data && can('chart:read') && <LatestVitalsCard patient={patient.data} />}
        </Grid.Col>
      </Grid>
      {consultationPanels(can).map(({ id, component: Panel }) => (
        <Panel key={id} encounter={data.encounter} patientId={patientId} />
      ))}
    </Stack>
  );
}

/** Who the consultation is about, kept in view while the note is written. */
function Banner({ patient }: { patient: Patient }) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  return (
    <Paper
      component="section"
      aria-label={t('consultation.bannerLabel')}
      p="sm"
      withBorder
      data-testid="patient-banner"
      style={{ position: 'sticky', top: 'var(--app-shell-header-height, 52px)', zIndex: 5 }}
    >
      <Group wrap="wrap" align="baseline" gap="md">
        <Title order={1} size="h3">
          {fullName(patient)}
        </Title>
        <Text size="sm">
          {t(`sex.${patient.sex}`)} · {f.age(patient.birthDate)} · {f.date(patient.birthDate)}
        </Text>
        <Text size="sm" ff="monospace" fw={600}>
          {patient.mrn}
        </Text>
        {patient.status !== 'active' && <PatientStatusBadge status={patient.status} />}
      </Group>
    </Paper>
  );
}

/** The patient's allergies as a sentence, for `.allergies` (rendered only for users who may read them). */
function AllergiesText({ patientId, onText }: { patientId: string; onText: (text: string) => void }) {
  const { t } = useTranslation('notes');
  const allergies = useAllergies(patientId);
  useEffect(() => {
    if (allergies.data) onText(allergyText(allergies.data, t));
  }, [allergies.data, onText, t]);
  return null;
}

/**
 * What a `.name` typed in the note expands to: the built-in `.vitals` (the latest set) and `.allergies`
 * (the allergy list), then the organisation's shortcuts.
 */
function useExpansions(patientId: string, allergies: string | undefined) {
  const { t } = useTranslation('notes');
  const { can } = useAuth();
  const f = useFormatters();
  const vitals = useVitals(patientId);
  const shortcuts = useShortcuts(can('notes:write'));
  const latest = vitals.rows[0];
  return useCallback(
    (name: string): string | undefined => {
      if (name === '.vitals') {
        if (!latest) return t('builtIn.noVitals');
        const values = [
          latest.systolic !== null && `BP ${latest.systolic}/${latest.diastolic ?? '—'} mmHg`,
          latest.heartRate !== null && `HR ${latest.heartRate}/min`,
          latest.respiratoryRate !== null && `RR ${latest.respiratoryRate}/min`,
          latest.temperature !== null && `T ${latest.temperature} °C`,
          latest.spo2 !== null && `SpO₂ ${latest.spo2} %${latest.onOxygen ? ' (O₂)' : ''}`,
          latest.weightKg !== null && `${latest.weightKg} kg`,
          latest.news2 && `NEWS2 ${latest.news2.total}`,
        ].filter(Boolean);
        return t('builtIn.vitals', { at: f.dateTime(latest.takenAt), values: values.join(', ') });
      }
      if (name === '.allergies') return allergies;
      return shortcuts.data?.data.find((s) => s.name === name)?.text;
    },
    [latest, shortcuts.data, t, f, allergies],
  );
}
