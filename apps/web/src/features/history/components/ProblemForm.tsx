import { Modal, NativeSelect, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { FormActions } from './Bits.tsx';
import { ProblemInput, type ProblemPatch } from '@sanita/contracts/history';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { formErrors, schemaIssues } from '../../../lib/validation.ts';
import { useAddProblem, useEditProblem, type Problem } from '../api/history.ts';
import type { Icd10Code } from '../../terminology/index.ts';
import { CodeField } from './CodeField.tsx';

interface Values {
  code: Icd10Code | null;
  description: string;
  status: 'active' | 'inactive' | 'resolved';
  onsetDate: string;
  resolutionDate: string;
  note: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** What the form sends: empty fields left out (added) or cleared (edited). */
function bodyOf(v: Values) {
  return {
    code: v.code?.code,
    description: v.description.trim() || undefined,
    status: v.status,
    onsetDate: v.onsetDate || undefined,
    resolutionDate: v.status === 'resolved' ? v.resolutionDate || undefined : undefined,
    note: v.note.trim() || undefined,
  };
}

/**
 * Add a problem or edit one, in a dialog: ICD-10-CM code (or the clinician's words), status, onset and
 * resolution dates, note. Keyboard first: the code field has the focus, Enter saves.
 */
export function ProblemForm({
  patientId,
  problem,
  opened,
  onClose,
}: {
  patientId: string;
  /** the problem to edit; none to add one */
  problem: Problem | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('history');
  const add = useAddProblem(patientId);
  const edit = useEditProblem(patientId);
  const form = useForm<Values>({
    initialValues: {
      // the problem's own words stand beside its code until another code is chosen
      code: problem?.code ? { code: problem.code, description: problem.description, billable: true } : null,
      description: problem?.description ?? '',
      status: problem && problem.status !== 'entered_in_error' ? problem.status : 'active',
      onsetDate: problem?.onsetDate ?? '',
      resolutionDate: problem?.resolutionDate ?? '',
      note: problem?.note ?? '',
    },
    validate: (values) => {
      const body = bodyOf(values);
      const errors = formErrors(schemaIssues(ProblemInput, body), t);
      if (!body.code && !body.description) errors.description = t('problems.fields.descriptionHelp');
      return errors;
    },
  });
  const values = form.getValues();

  const submit = form.onSubmit((v) => {
    const body = bodyOf(v);
    const done = (message: string) => () => {
      notifySuccess(message);
      onClose();
    };
    const onError = (err: unknown) => handleFormError(form, err, t);
    if (!problem) add.mutate(body, { onSuccess: done(t('problems.added')), onError });
    else {
      const patch: typeof ProblemPatch.static = {
        version: problem.version,
        code: body.code ?? null,
        status: body.status,
        onsetDate: body.onsetDate ?? null,
        resolutionDate: body.resolutionDate ?? null,
        note: body.note ?? null,
        ...(body.description ? { description: body.description } : {}),
      };
      edit.mutate({ id: problem.id, body: patch }, { onSuccess: done(t('problems.saved')), onError });
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={problem ? t('problems.editTitle') : t('problems.add')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      <form onSubmit={submit} noValidate data-testid="problem-form">
        <Stack gap="sm">
          <CodeField
            label={t('problems.fields.code')}
            value={values.code}
            onChange={(code) => {
              const before = form.getValues();
              form.setFieldValue('code', code);
              // the chosen code names the problem, unless the clinician wrote their own words
              if (code && (!before.description || before.description === before.code?.description))
                form.setFieldValue('description', code.description);
            }}
            error={form.errors.code}
          />
          <TextInput
            label={t('problems.fields.description')}
            description={t('problems.fields.descriptionHelp')}
            maxLength={300}
            autoComplete="off"
            key={form.key('description')}
            {...form.getInputProps('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NativeSelect
              label={t('problems.fields.status')}
              data={(['active', 'inactive', 'resolved'] as const).map((s) => ({ value: s, label: t(`problems.status.${s}`) }))}
              key={form.key('status')}
              {...form.getInputProps('status')}
            />
            <TextInput
              label={t('problems.fields.onsetDate')}
              type="date"
              max={today()}
              key={form.key('onsetDate')}
              {...form.getInputProps('onsetDate')}
            />
            {values.status === 'resolved' && (
              <TextInput
                label={t('problems.fields.resolutionDate')}
                type="date"
                min={values.onsetDate || undefined}
                max={today()}
                key={form.key('resolutionDate')}
                {...form.getInputProps('resolutionDate')}
              />
            )}
          </SimpleGrid>
          <Textarea
            label={t('problems.fields.note')}
            autosize
            minRows={1}
            maxRows={5}
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
