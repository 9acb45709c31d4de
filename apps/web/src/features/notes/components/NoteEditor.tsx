import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Group, Modal, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCloudOff, IconDeviceFloppy, IconSignature } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NoteInput as NoteInputSchema, SOAP, TEMPLATES, type SoapSection } from '@sanita/contracts/notes';
import { isApiError } from '../../../lib/api/errors.ts';
import { notifySuccess, errorMessage } from '../../../lib/errors.ts';
import { issueMessage, schemaIssues } from '../../../lib/validation.ts';
import { useFormatters } from '../../../lib/dates.ts';
import { notesKeys, useSaveNote, useSignNote, type EncounterNote, type Note, type NoteInput } from '../api/notes.ts';
import { draftStore } from '../lib/draftStore.ts';
import { applyExpansion, expansionAt } from '../lib/shortcuts.ts';
import { DiagnosesEditor } from './DiagnosesEditor.tsx';
import { EyeExamFields } from './EyeExamFields.tsx';

type Draft = Omit<NoteInput, 'version'>;
type Status = 'clean' | 'dirty' | 'saving' | 'saved' | 'offline' | 'failed';

/** How long typing pauses before the draft is saved. */
export const AUTOSAVE_DELAY_MS = 1500;
/** How often a save is retried while offline. */
const RETRY_MS = 8000;

const draftOf = (note: Note | null, template: NoteInput['template']): Draft =>
  note
    ? {
        template: note.template,
        sections: note.sections,
        patientSummary: note.patientSummary,
        diagnoses: note.diagnoses.map((d) => ({ code: d.code, description: d.description, rank: d.rank })),
      }
    : {
        template,
        sections: { subjective: '', objective: '', assessment: '', plan: '' },
        patientSummary: null,
        diagnoses: [],
      };

const withTemplate = (d: Draft): Draft =>
  d.template === 'ophthalmology' && !d.sections.eyes ? { ...d, sections: { ...d.sections, eyes: { right: {}, left: {} } } } : d;

/**
 * The note being written: template, SOAP sections (text shortcuts expand on space or Tab), the exam per
 * eye for ophthalmology, the patient's summary and the diagnoses. Every change is kept on this device at
 * once and saved ~1.5 s after typing pauses (Ctrl/⌘+S saves now); a save that finds the note saved
 * elsewhere opens the conflict dialog; Ctrl/⌘+Enter signs after a confirmation.
 */
export function NoteEditor({
  data,
  expand,
}: {
  data: EncounterNote;
  /** what a `.name` typed in a section expands to (built-in and custom shortcuts) */
  expand: (name: string) => string | undefined;
}) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const queryClient = useQueryClient();
  const encounterId = data.encounter.id;
  const saveNote = useSaveNote(encounterId);
  const sign = useSignNote(encounterId);

  // what the server has, and what is typed on top of it (the copy on this device wins when newer)
  const initial = useMemo(() => {
    const server = data.note;
    const local = draftStore.read(encounterId);
    const serverVersion = server?.version ?? 0;
    const serverAt = server ? Date.parse(server.updatedAt) : 0;
    if (local && local.at > serverAt) {
      const { version: _v, ...input } = local.input;
      return {
        draft: withTemplate(input),
        version: local.baseVersion,
        restored: true,
        newer: local.baseVersion !== serverVersion,
      };
    }
    return { draft: withTemplate(draftOf(server, data.defaultTemplate)), version: serverVersion, restored: false, newer: false };
    // the editor owns the draft from its first render on
  }, []);

  const [draft, setDraft] = useState<Draft>(initial.draft);
  const [status, setStatus] = useState<Status>(initial.restored ? 'dirty' : 'clean');
  const [savedAt, setSavedAt] = useState<string | null>(data.note?.updatedAt ?? null);
  const [failure, setFailure] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Note | null>(null);
  const [confirmSign, setConfirmSign] = useState(false);
  const [diagnosisError, setDiagnosisError] = useState<string | null>(null);

  const draftRef = useRef(draft);
  const version = useRef(initial.version);
  const edits = useRef(initial.restored ? 1 : 0);
  const savedEdits = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const again = useRef(false);
  const blocked = useRef(false);

  const localIssues = useMemo(() => schemaIssues(NoteInputSchema, { ...draft, version: 0 }), [draft]);
  const fieldErrors = useMemo(() => {
    const out: Record<string, string> = { ...serverErrors };
    for (const i of localIssues) out[i.field] = issueMessage(i, t);
    return out;
  }, [localIssues, serverErrors, t]);

  /** Saves what is typed now; true when the server has it all. */
  const save = useCallback((): Promise<boolean> => {
    clearTimeout(timer.current);
    if (blocked.current) return Promise.resolve(false);
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const body: NoteInput = { ...draftRef.current, version: version.current };
    if (schemaIssues(NoteInputSchema, body).length) {
      setStatus('failed');
      setFailure(null);
      return Promise.resolve(false);
    }
    const sent = edits.current;
    setStatus('saving');
    const run = (async () => {
      try {
        const note = await saveNote(body);
        version.current = note.version;
        setSavedAt(note.updatedAt);
        setServerErrors({});
        setFailure(null);
        queryClient.setQueryData<EncounterNote>(notesKeys.note(encounterId), (old) => (old ? { ...old, note } : old));
        savedEdits.current = sent;
        if (edits.current === sent) {
          draftStore.clear(encounterId);
          setStatus('saved');
          return true;
        }
        setStatus('dirty');
        again.current = true;
        return false;
      } catch (err) {
        if (isApiError(err, 'STALE_VERSION') || isApiError(err, 'NOTE_SIGNED')) {
          const current = (err.details as { current?: Note } | undefined)?.current ?? null;
          if (isApiError(err, 'NOTE_SIGNED')) {
            blocked.current = true;
            draftStore.clear(encounterId);
            void queryClient.invalidateQueries({ queryKey: notesKeys.note(encounterId) });
          } else if (current) {
            blocked.current = true;
            setConflict(current);
          }
          setStatus('failed');
          setFailure(errorMessage(err, t));
          return false;
        }
        if (isApiError(err, 'NETWORK') || (isApiError(err) && err.status >= 500)) {
          setStatus('offline');
          timer.current = setTimeout(() => void save(), RETRY_MS);
          return false;
        }
        const issues = isApiError(err) ? err.fieldIssues : [];
        setServerErrors(Object.fromEntries(issues.map((i) => [i.field, issueMessage(i, t)])));
        setStatus('failed');
        setFailure(errorMessage(err, t));
        return false;
      } finally {
        inFlight.current = null;
        if (again.current) {
          again.current = false;
          if (!blocked.current) timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
        }
      }
    })();
    inFlight.current = run;
    return run;
  }, [encounterId, queryClient, saveNote, t]);

  const change = useCallback(
    (next: Draft) => {
      draftRef.current = next;
      edits.current += 1;
      setDraft(next);
      setStatus('dirty');
      draftStore.write(encounterId, {
        input: { ...next, version: version.current },
        at: Date.now(),
        baseVersion: version.current,
      });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
    },
    [encounterId, save],
  );

  // a copy restored from this device goes to the server at once (and meets the conflict dialog if it is stale)
  useEffect(() => {
    if (initial.restored) void save();
    const online = () => void save();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      clearTimeout(timer.current);
    };
  }, []);

  const setSection = (key: SoapSection, value: string) =>
    change({ ...draftRef.current, sections: { ...draftRef.current.sections, [key]: value } });

  const onSectionKey = (key: SoapSection) => (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.key !== ' ' && e.key !== 'Tab') || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.currentTarget;
    if (el.selectionStart !== el.selectionEnd) return;
    const found = expansionAt(el.value, el.selectionStart, expand);
    if (!found) return;
    e.preventDefault();
    const applied = applyExpansion(el.value, { ...found, text: found.text + (e.key === ' ' ? ' ' : '') });
    setSection(key, applied.value);
    requestAnimationFrame(() => el.setSelectionRange(applied.caret, applied.caret));
  };

  const askSign = () => {
    if (!draftRef.current.diagnoses.some((d) => d.rank === 'primary')) {
      setDiagnosisError(t('diagnoses.needPrimary'));
      return;
    }
    setDiagnosisError(null);
    setConfirmSign(true);
  };

  const doSign = async () => {
    // what is typed goes to the server first; signing signs what the server has
    let ok = savedEdits.current === edits.current;
    for (let i = 0; !ok && i < 3 && !blocked.current; i++) {
      if (inFlight.current) await inFlight.current;
      ok = await save();
    }
    if (!ok) {
      setConfirmSign(false);
      return;
    }
    try {
      await sign.mutateAsync(version.current);
      draftStore.clear(encounterId);
      setConfirmSign(false);
      notifySuccess(t('sign.signed'));
    } catch (err) {
      setConfirmSign(false);
      const issues = isApiError(err) ? err.fieldIssues : [];
      const dx = issues.find((i) => i.field === 'diagnoses');
      if (dx) setDiagnosisError(t('diagnoses.needPrimary'));
      setFailure(errorMessage(err, t));
      setStatus('failed');
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      askSign();
    }
  };

  const resolve = (keep: 'mine' | 'theirs') => {
    const current = conflict!;
    blocked.current = false;
    setConflict(null);
    version.current = current.version;
    if (keep === 'theirs') {
      const theirs = withTemplate(draftOf(current, current.template));
      draftRef.current = theirs;
      setDraft(theirs);
      draftStore.clear(encounterId);
      savedEdits.current = edits.current;
      setSavedAt(current.updatedAt);
      setStatus('saved');
      setFailure(null);
    } else void save();
  };

  const statusText =
    status === 'saving'
      ? t('save.saving')
      : status === 'saved' || (status === 'clean' && savedAt)
        ? t('save.saved', { time: savedAt ? f.dateTime(savedAt).split(' ').pop() : '' })
        : status === 'offline'
          ? t('save.offline')
          : status === 'failed'
            ? t('save.failed', { message: failure ?? t('eyes.invalid') })
            : t('save.unsaved');

  return (
    <Stack gap="md" onKeyDown={onKeyDown} data-testid="note-editor">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <SegmentedControl
          aria-label={t('templates.label')}
          value={draft.template}
          onChange={(v) => change(withTemplate({ ...draftRef.current, template: v as Draft['template'] }))}
          data={TEMPLATES.map((id) => ({ value: id, label: t(`templates.${id}`) }))}
        />
        <Group gap="xs">
          <Text
            size="sm"
            c={status === 'failed' ? 'red' : status === 'offline' ? 'orange' : 'dimmed'}
            role="status"
            aria-live="polite"
            data-testid="save-status"
          >
            {status === 'offline' && <IconCloudOff size={14} aria-hidden style={{ verticalAlign: 'middle', marginRight: 4 }} />}
            {statusText}
          </Text>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDeviceFloppy size={14} aria-hidden />}
            onClick={() => void save()}
          >
            {t('save.saveNow')}
          </Button>
        </Group>
      </Group>
      {initial.restored && status !== 'saved' && (
        <Alert color="blue" variant="light">
          {t('save.restored')}
        </Alert>
      )}
      <Text size="xs" c="dimmed">
        {t('sections.shortcutsHint')} {t('save.keys')}.
      </Text>
      {SOAP.map((key, i) => (
        <Textarea
          key={key}
          label={t(`sections.${key}`)}
          description={t(`sections.${key}Help`)}
          value={draft.sections[key]}
          onChange={(e) => setSection(key, e.currentTarget.value)}
          onKeyDown={onSectionKey(key)}
          autosize
          minRows={key === 'subjective' ? 4 : 3}
          maxRows={16}
          autoFocus={i === 0 && !data.note}
          error={fieldErrors[`sections.${key}`]}
          data-testid={`section-${key}`}
        />
      ))}
      {draft.template === 'ophthalmology' && draft.sections.eyes && (
        <EyeExamFields
          value={draft.sections.eyes}
          onChange={(eyes) => change({ ...draftRef.current, sections: { ...draftRef.current.sections, eyes } })}
          errors={fieldErrors}
        />
      )}
      <DiagnosesEditor
        value={draft.diagnoses}
        onChange={(diagnoses) => {
          setDiagnosisError(null);
          change({ ...draftRef.current, diagnoses });
        }}
        error={diagnosisError}
      />
      <Textarea
        label={t('sections.patientSummary')}
        description={t('sections.patientSummaryHelp')}
        value={draft.patientSummary ?? ''}
        onChange={(e) => change({ ...draftRef.current, patientSummary: e.currentTarget.value || null })}
        autosize
        minRows={2}
        maxRows={8}
        error={fieldErrors.patientSummary}
        data-testid="patient-summary"
      />
      <Group justify="flex-end">
        <Button leftSection={<IconSignature size={16} aria-hidden />} onClick={askSign} loading={sign.isPending}>
          {t('sign.button')}
        </Button>
      </Group>

      <Modal
        opened={confirmSign}
        onClose={() => setConfirmSign(false)}
        title={t('sign.title')}
        closeButtonProps={{ 'aria-label': t('sign.cancel') }}
      >
        <Stack gap="md">
          <Text size="sm">{t('sign.text')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmSign(false)}>
              {t('sign.cancel')}
            </Button>
            <Button onClick={() => void doSign()} loading={sign.isPending} data-autofocus>
              {t('sign.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={!!conflict}
        onClose={() => resolve('theirs')}
        title={t('conflict.title')}
        size="xl"
        closeButtonProps={{ 'aria-label': t('conflict.close') }}
      >
        {conflict && (
          <Stack gap="md">
            <Text size="sm">{t('conflict.text')}</Text>
            <Group grow align="flex-start">
              <Paper withBorder p="xs">
                <Title order={3} size="h6" mb={4}>
                  {t('conflict.theirs')} — {conflict.author.name}, {f.dateTime(conflict.updatedAt)}
                </Title>
                <ConflictText draft={draftOf(conflict, conflict.template)} />
              </Paper>
              <Paper withBorder p="xs">
                <Title order={3} size="h6" mb={4}>
                  {t('conflict.mine')}
                </Title>
                <ConflictText draft={draft} />
              </Paper>
            </Group>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => resolve('theirs')}>
                {t('conflict.takeTheirs')}
              </Button>
              <Button color="orange" onClick={() => resolve('mine')}>
                {t('conflict.keepMine')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function ConflictText({ draft }: { draft: Draft }) {
  const { t } = useTranslation('notes');
  return (
    <Stack gap={4}>
      {SOAP.map((k) => (
        <Text key={k} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <Text span fw={600} size="sm">
            {t(`sections.${k}`)}:
          </Text>{' '}
          {draft.sections[k] || '—'}
        </Text>
      ))}
    </Stack>
  );
}
