import { useState } from 'react';
import { Badge, Button, Divider, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SOAP } from '@sanita/contracts/notes';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { VisitSummaryButton } from '../../letters/index.ts';
import { useAddAddendum, type Note } from '../api/notes.ts';
import { DiagnosesList } from './DiagnosesEditor.tsx';
import { EyeExamView } from './EyeExamFields.tsx';
import { NoteHistoryView } from './NoteHistoryView.tsx';

/**
 * A note read only: signed (with who signed it and when, its visit summary for the patient as a PDF,
 * its addenda, a form to add one when the user may write, and its version history), or a draft seen by
 * someone who may not write it.
 */
export function NoteView({ note, canWrite }: { note: Note; canWrite: boolean }) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const { can } = useAuth();
  const [showHistory, setShowHistory] = useState(false);
  const signed = note.status === 'signed';
  return (
    <Stack gap="md" data-testid="note-view">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Badge color={signed ? 'green' : 'gray'} variant="light">
            {signed ? t('view.readOnly') : t('view.readOnlyDraft')}
          </Badge>
          <Text size="sm" c="dimmed">
            {signed
              ? t('sign.signedBy', { name: note.signedBy?.name ?? '', at: f.dateTime(note.signedAt) })
              : t('view.draftBy', { name: note.author.name, at: f.dateTime(note.updatedAt) })}
          </Text>
        </Group>
        {signed && (
          <Group gap="xs">
            {can('letters:read') && <VisitSummaryButton patientId={note.patientId} encounterId={note.encounterId} />}
            <Button
              variant="default"
              size="xs"
              leftSection={<IconHistory size={14} aria-hidden />}
              onClick={() => setShowHistory((v) => !v)}
              aria-expanded={showHistory}
            >
              {showHistory ? t('history.hide') : t('history.show')}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t(`templates.${note.template}`)}
      </Text>
      {SOAP.map((k) => (
        <section key={k} aria-labelledby={`view-${k}`}>
          <Title order={3} size="h5" id={`view-${k}`}>
            {t(`sections.${k}`)}
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid={`view-${k}`}>
            {note.sections[k] || t('view.noText')}
          </Text>
        </section>
      ))}
      {note.template === 'ophthalmology' && note.sections.eyes && <EyeExamView eyes={note.sections.eyes} />}
      <DiagnosesList value={note.diagnoses} />
      {note.patientSummary && (
        <section aria-labelledby="view-summary">
          <Title order={3} size="h5" id="view-summary">
            {t('sections.patientSummary')}
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {note.patientSummary}
          </Text>
        </section>
      )}
      {signed && (
        <>
          <Divider />
          <Addenda note={note} canWrite={canWrite} />
        </>
      )}
      {showHistory && <NoteHistoryView encounterId={note.encounterId} />}
    </Stack>
  );
}

function Addenda({ note, canWrite }: { note: Note; canWrite: boolean }) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const add = useAddAddendum(note.encounterId);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!text.trim()) return;
    try {
      await add.mutateAsync(text.trim());
      setText('');
      setError(null);
      notifySuccess(t('addenda.added'));
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="addenda-title">
      <Title order={3} size="h5" id="addenda-title">
        {t('addenda.title')}
      </Title>
      {note.addenda.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('addenda.empty')}
        </Text>
      ) : (
        note.addenda.map((a) => (
          <Paper key={a.id} withBorder p="xs" data-testid="addendum">
            <Text size="xs" c="dimmed">
              {t('addenda.by', { name: a.author.name, at: f.dateTime(a.createdAt) })}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {a.text}
            </Text>
          </Paper>
        ))
      )}
      {canWrite && (
        <Stack gap="xs">
          <Textarea
            label={t('addenda.label')}
            description={t('addenda.help')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
                e.preventDefault();
                void submit();
              }
            }}
            autosize
            minRows={2}
            maxLength={8000}
            error={error}
          />
          <Group justify="flex-end">
            <Button onClick={() => void submit()} loading={add.isPending} disabled={!text.trim()}>
              {t('addenda.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
