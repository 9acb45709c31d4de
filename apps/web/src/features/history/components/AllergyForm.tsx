import { Checkbox, Modal, NativeSelect, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { FormActions } from './Bits.tsx';
import {
  ALLERGY_CATEGORIES,
  ALLERGY_STATUSES,
  ALLERGY_TYPES,
  AllergyInput,
  COMMON_SUBSTANCES,
  CRITICALITIES,
  MANIFESTATIONS,
  SEVERITIES,
  SUBSTANCE_CODES,
  VERIFICATION_STATUSES,
  type AllergyCategory,
  type AllergyPatch,
  type Manifestation,
  type SubstanceCode,
} from '@sanita/contracts/history';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { formErrors, schemaIssues } from '../../../lib/validation.ts';
import { useAddAllergy, useEditAllergy, type Allergy } from '../api/history.ts';

interface Values {
  substanceCode: SubstanceCode | '';
  substance: string;
  type: Allergy['type'];
  category: AllergyCategory | '';
  reaction: string;
  manifestations: Manifestation[];
  severity: Allergy['severity'] | '';
  criticality: Allergy['criticality'];
  verificationStatus: Allergy['verificationStatus'];
  status: Allergy['status'];
  onsetDate: string;
  note: string;
}

const today = () => new Date().toISOString().slice(0, 10);

function bodyOf(v: Values) {
  return {
    substanceCode: v.substanceCode || undefined,
    substance: v.substance.trim() || undefined,
    type: v.type,
    category: v.category || undefined,
    reaction: v.reaction.trim() || undefined,
    manifestations: v.manifestations,
    severity: v.severity || undefined,
    criticality: v.criticality,
    verificationStatus: v.verificationStatus,
    status: v.status,
    onsetDate: v.onsetDate || undefined,
    note: v.note.trim() || undefined,
  };
}

/**
 * Record an allergy or intolerance, or edit one, in a dialog: a common substance (grouped by
 * category) or free text, type, reaction and its manifestations, severity, criticality, verification.
 */
export function AllergyForm({
  patientId,
  allergy,
  opened,
  onClose,
}: {
  patientId: string;
  allergy: Allergy | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('history');
  const add = useAddAllergy(patientId);
  const edit = useEditAllergy(patientId);
  const form = useForm<Values>({
    initialValues: {
      substanceCode: allergy?.substanceCode ?? '',
      // a common substance's own name is not repeated in the free-text field
      substance:
        allergy &&
        (!allergy.substanceCode || allergy.substance !== t(`allergies.substances.${allergy.substanceCode}`, { lng: 'en' }))
          ? allergy.substance
          : '',
      type: allergy?.type ?? 'allergy',
      category: allergy?.category ?? '',
      reaction: allergy?.reaction ?? '',
      manifestations: allergy?.manifestations ?? [],
      severity: allergy?.severity ?? '',
      criticality: allergy?.criticality ?? 'unable_to_assess',
      verificationStatus: allergy?.verificationStatus ?? 'confirmed',
      status: allergy?.status ?? 'active',
      onsetDate: allergy?.onsetDate ?? '',
      note: allergy?.note ?? '',
    },
    validate: (values) => {
      const body = bodyOf(values);
      const errors = formErrors(schemaIssues(AllergyInput, body), t);
      if (!body.substanceCode && !body.substance) errors.substance = t('allergies.fields.substanceTextHelp');
      return errors;
    },
  });
  const values = form.getValues();

  const substances = ALLERGY_CATEGORIES.filter((c) => c !== 'other').map((category) => ({
    group: t(`allergies.categories.${category}`),
    items: SUBSTANCE_CODES.filter((code) => COMMON_SUBSTANCES[code] === category).map((code) => ({
      value: code,
      label: t(`allergies.substances.${code}`),
    })),
  }));

  const submit = form.onSubmit((v) => {
    const body = bodyOf(v);
    const done = (message: string) => () => {
      notifySuccess(message);
      onClose();
    };
    const onError = (err: unknown) => handleFormError(form, err, t);
    if (!allergy) add.mutate(body, { onSuccess: done(t('allergies.added')), onError });
    else {
      const patch: AllergyPatch = {
        version: allergy.version,
        substanceCode: body.substanceCode ?? null,
        ...(body.substance ? { substance: body.substance } : {}),
        type: body.type,
        ...(body.category ? { category: body.category } : {}),
        reaction: body.reaction ?? null,
        manifestations: body.manifestations,
        severity: body.severity ?? null,
        criticality: body.criticality,
        verificationStatus: body.verificationStatus,
        status: body.status,
        onsetDate: body.onsetDate ?? null,
        note: body.note ?? null,
      };
      edit.mutate({ id: allergy.id, body: patch }, { onSuccess: done(t('allergies.saved')), onError });
    }
  });

  const select = <K extends keyof Values>(key: K, options: readonly string[], labels: string, empty = false) => (
    <NativeSelect
      label={t(`allergies.fields.${key}`)}
      data={[...(empty ? [{ value: '', label: '—' }] : []), ...options.map((o) => ({ value: o, label: t(`${labels}.${o}`) }))]}
      key={form.key(key)}
      {...form.getInputProps(key)}
    />
  );

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={allergy ? t('allergies.editTitle') : t('allergies.add')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      <form onSubmit={submit} noValidate data-testid="allergy-form">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect
              label={t('allergies.fields.substanceCode')}
              description={t('allergies.fields.substanceHelp')}
              data={[{ value: '', label: t('allergies.fields.otherSubstance') }, ...substances]}
              data-autofocus
              key={form.key('substanceCode')}
              {...form.getInputProps('substanceCode')}
            />
            <TextInput
              label={t('allergies.fields.substance')}
              description={t('allergies.fields.substanceTextHelp')}
              maxLength={200}
              autoComplete="off"
              key={form.key('substance')}
              {...form.getInputProps('substance')}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            {select('type', ALLERGY_TYPES, 'allergies.types')}
            {!values.substanceCode && select('category', ALLERGY_CATEGORIES, 'allergies.categories', true)}
            {select('severity', SEVERITIES, 'allergies.severities', true)}
            {select('criticality', CRITICALITIES, 'allergies.criticalities')}
            {select('verificationStatus', VERIFICATION_STATUSES, 'allergies.verification')}
            {allergy && select('status', ALLERGY_STATUSES, 'allergies.statuses')}
            <TextInput
              label={t('allergies.fields.onsetDate')}
              type="date"
              max={today()}
              key={form.key('onsetDate')}
              {...form.getInputProps('onsetDate')}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('allergies.fields.manifestations')}
            key={form.key('manifestations')}
            {...form.getInputProps('manifestations')}
          >
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing={6} mt={6}>
              {MANIFESTATIONS.map((m) => (
                <Checkbox key={m} value={m} label={t(`allergies.manifestations.${m}`)} size="sm" />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput
            label={t('allergies.fields.reaction')}
            maxLength={500}
            autoComplete="off"
            key={form.key('reaction')}
            {...form.getInputProps('reaction')}
          />
          <Textarea
            label={t('allergies.fields.note')}
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
