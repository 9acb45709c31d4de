import { Modal, NativeSelect, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { FormActions } from './Bits.tsx';
import { ALCOHOL_USE, HistoryInput, RELATIONS, TOBACCO_USE, type HistoryPatch } from '@sanita/contracts/history';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { formErrors, schemaIssues } from '../../../lib/validation.ts';
import { useAddHistory, useEditHistory, type HistoryEntry, type HistoryKind } from '../api/history.ts';

interface Values {
  condition: string;
  relation: string;
  date: string;
  tobacco: string;
  packYears: number | '';
  alcohol: string;
  unitsPerWeek: number | '';
  occupation: string;
  note: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const smokes = (tobacco: string) => tobacco === 'former' || tobacco === 'current';
const drinks = (alcohol: string) => alcohol === 'occasional' || alcohol === 'regular';

function bodyOf(kind: HistoryKind, v: Values) {
  const text = (s: string) => s.trim() || undefined;
  if (kind === 'social')
    return {
      kind,
      tobacco: (v.tobacco || undefined) as HistoryInput['tobacco'],
      packYears: smokes(v.tobacco) && v.packYears !== '' ? v.packYears : undefined,
      alcohol: (v.alcohol || undefined) as HistoryInput['alcohol'],
      unitsPerWeek: drinks(v.alcohol) && v.unitsPerWeek !== '' ? v.unitsPerWeek : undefined,
      occupation: text(v.occupation),
      note: text(v.note),
    };
  return {
    kind,
    condition: text(v.condition),
    relation: kind === 'family' ? ((v.relation || undefined) as HistoryInput['relation']) : undefined,
    date: kind !== 'family' ? v.date || undefined : undefined,
    note: text(v.note),
  };
}

/** Add or edit one history entry of a kind: a past condition, an operation, a relative's condition, or the social history. */
export function HistoryForm({
  patientId,
  kind,
  entry,
  onClose,
}: {
  patientId: string;
  kind: HistoryKind;
  entry: HistoryEntry | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('history');
  const add = useAddHistory(patientId);
  const edit = useEditHistory(patientId);
  const form = useForm<Values>({
    initialValues: {
      condition: entry?.condition ?? '',
      relation: entry?.relation ?? '',
      date: entry?.date ?? '',
      tobacco: entry?.tobacco ?? '',
      packYears: entry?.packYears ?? '',
      alcohol: entry?.alcohol ?? '',
      unitsPerWeek: entry?.unitsPerWeek ?? '',
      occupation: entry?.occupation ?? '',
      note: entry?.note ?? '',
    },
    validate: (values) => {
      const body = bodyOf(kind, values);
      const errors = formErrors(schemaIssues(HistoryInput, body), t);
      if (kind === 'social' && !body.tobacco && !body.alcohol && !body.occupation) errors.tobacco = t('history.socialNeedsOne');
      if (kind !== 'social' && !body.condition) errors.condition = t('validation.required');
      if (kind === 'family' && !body.relation) errors.relation = t('validation.required');
      return errors;
    },
  });
  const values = form.getValues();

  const submit = form.onSubmit((v) => {
    const body = bodyOf(kind, v);
    const done = (message: string) => () => {
      notifySuccess(message);
      onClose();
    };
    const onError = (err: unknown) => handleFormError(form, err, t);
    if (!entry) add.mutate(body, { onSuccess: done(t('history.added')), onError });
    else {
      const { kind: _kind, ...fields } = body as Record<string, unknown>;
      const patch: Record<string, unknown> = { version: entry.version };
      const keys =
        kind === 'social'
          ? (['tobacco', 'packYears', 'alcohol', 'unitsPerWeek', 'occupation', 'note'] as const)
          : kind === 'family'
            ? (['condition', 'relation', 'note'] as const)
            : (['condition', 'date', 'note'] as const);
      // cleared fields are sent as null; a condition and a relation are never cleared (required)
      for (const k of keys) patch[k] = fields[k] ?? (k === 'condition' || k === 'relation' ? undefined : null);
      edit.mutate({ id: entry.id, body: patch as HistoryPatch }, { onSuccess: done(t('history.saved')), onError });
    }
  });

  const select = (key: 'relation' | 'tobacco' | 'alcohol', options: readonly string[], labels: string, autoFocus = false) => (
    <NativeSelect
      label={t(`history.fields.${key}`)}
      data={[{ value: '', label: '—' }, ...options.map((o) => ({ value: o, label: t(`${labels}.${o}`) }))]}
      data-autofocus={autoFocus || undefined}
      key={form.key(key)}
      {...form.getInputProps(key)}
    />
  );

  return (
    <Modal
      opened
      onClose={onClose}
      title={entry ? t('history.editTitle') : t(`history.add.${kind}`)}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      <form onSubmit={submit} noValidate data-testid="history-form">
        <Stack gap="sm">
          {kind === 'social' ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {select('tobacco', TOBACCO_USE, 'history.tobacco', true)}
              {smokes(values.tobacco) ? (
                <NumberInput
                  label={t('history.fields.packYears')}
                  min={0}
                  max={300}
                  decimalScale={1}
                  allowNegative={false}
                  hideControls
                  key={form.key('packYears')}
                  {...form.getInputProps('packYears')}
                />
              ) : (
                <div />
              )}
              {select('alcohol', ALCOHOL_USE, 'history.alcohol')}
              {drinks(values.alcohol) ? (
                <NumberInput
                  label={t('history.fields.unitsPerWeek')}
                  min={0}
                  max={500}
                  allowDecimal={false}
                  allowNegative={false}
                  hideControls
                  key={form.key('unitsPerWeek')}
                  {...form.getInputProps('unitsPerWeek')}
                />
              ) : (
                <div />
              )}
              <TextInput
                label={t('history.fields.occupation')}
                maxLength={200}
                autoComplete="off"
                key={form.key('occupation')}
                {...form.getInputProps('occupation')}
              />
            </SimpleGrid>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              {kind === 'family' && select('relation', RELATIONS, 'history.relations', true)}
              <TextInput
                label={t(kind === 'surgical' ? 'history.fields.procedure' : 'history.fields.condition')}
                maxLength={300}
                autoComplete="off"
                data-autofocus={kind !== 'family' || undefined}
                style={{ gridColumn: 'span 2' }}
                key={form.key('condition')}
                {...form.getInputProps('condition')}
              />
              {kind !== 'family' && (
                <TextInput
                  label={t('history.fields.date')}
                  type="date"
                  max={today()}
                  key={form.key('date')}
                  {...form.getInputProps('date')}
                />
              )}
            </SimpleGrid>
          )}
          <Textarea
            label={t('history.fields.note')}
            autosize
            minRows={1}
            maxRows={4}
            maxLength={1000}
            key={form.key('note')}
            {...form.getInputProps('note')}
          />
          <FormActions onCancel={onClose} saving={add.isPending || edit.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
