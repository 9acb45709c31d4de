import { useMemo, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
  type NumberInputProps,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { news2 } from '@sanita/clinical/news2';
import { CONSCIOUSNESS, VitalsInput } from '@sanita/contracts/chart';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { formErrors, schemaIssues } from '../../../lib/validation.ts';
import { useRecordVitals } from '../api/vitals.ts';
import { bmiOf, EMPTY_VITALS, hasMeasure, vitalsBody, type VitalsFormValues } from '../lib/vitals.ts';
import { News2Badge, News2Scores } from './News2Badge.tsx';

type NumberKey = {
  [K in keyof VitalsFormValues]: VitalsFormValues[K] extends number | '' ? K : never;
}[keyof VitalsFormValues];

/** A set of vitals: keyboard first (natural tab order, Enter records), NEWS2 scored as it is typed; `onRecorded` after a set is saved. */
export function VitalsForm({ patientId, onRecorded }: { patientId: string; onRecorded?: () => void }) {
  const { t, i18n } = useTranslation('chart');
  const record = useRecordVitals(patientId);
  const [needsMeasure, setNeedsMeasure] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  const form = useForm<VitalsFormValues>({
    initialValues: EMPTY_VITALS,
    validate: (values) => formErrors(schemaIssues(VitalsInput, vitalsBody(values)), t),
    onValuesChange: () => setNeedsMeasure(false),
  });
  const values = form.getValues();
  const decimalSeparator = i18n.resolvedLanguage === 'fr' ? ',' : '.';

  // Score only values the contract accepts: a half-typed 3 of "30" is scored, a typo of 300 is not.
  const live = useMemo(() => {
    const body = vitalsBody(values);
    const invalid = new Set(schemaIssues(VitalsInput, body).map((i) => i.field));
    const ok = <K extends keyof typeof body>(k: K) => (invalid.has(k) ? undefined : body[k]);
    return news2({
      respiratoryRate: ok('respiratoryRate'),
      spo2: ok('spo2'),
      onOxygen: values.onOxygen,
      spo2Scale: values.spo2Scale === '2' ? 2 : 1,
      systolic: ok('systolic'),
      heartRate: ok('heartRate'),
      consciousness: ok('consciousness'),
      temperature: ok('temperature'),
    });
  }, [values]);
  const bmi = bmiOf(values.weightKg || null, values.heightCm || null);

  const number = (key: NumberKey, props: Partial<NumberInputProps> & { ref?: React.Ref<HTMLInputElement> } = {}) => (
    <NumberInput
      label={t(`vitals.fields.${key}`)}
      hideControls
      allowNegative={false}
      allowDecimal={false}
      clampBehavior="none"
      inputMode={props.allowDecimal ? 'decimal' : 'numeric'}
      autoComplete="off"
      {...props}
      key={form.key(key)}
      {...form.getInputProps(key)}
    />
  );

  const submit = form.onSubmit((formValues) => {
    const body = vitalsBody(formValues);
    if (!hasMeasure(body)) {
      setNeedsMeasure(true);
      return;
    }
    record.mutate(body, {
      onSuccess: () => {
        notifySuccess(t('vitals.recorded'));
        form.reset();
        firstField.current?.focus();
        onRecorded?.();
      },
      onError: (err) => handleFormError(form, err, t),
    });
  });

  return (
    <Paper p="md" withBorder component="section" aria-labelledby="vitals-form-title">
      <form onSubmit={submit} noValidate data-testid="vitals-form">
        <Stack gap="sm">
          <div>
            <Title order={3} size="h4" id="vitals-form-title">
              {t('vitals.record')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('vitals.recordHelp')}
            </Text>
          </div>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="xs">
            {number('respiratoryRate', { autoFocus: true, ref: firstField, min: 3, max: 80 })}
            {number('spo2', { min: 40, max: 100 })}
            <NativeSelect
              label={t('vitals.fields.spo2Scale')}
              description={t('vitals.fields.spo2ScaleHelp')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              data={(['1', '2'] as const).map((s) => ({ value: s, label: t(`vitals.scale.${s}`) }))}
              key={form.key('spo2Scale')}
              {...form.getInputProps('spo2Scale')}
            />
            <Switch
              label={t('vitals.fields.onOxygen')}
              mt={{ base: 0, sm: 30 }}
              key={form.key('onOxygen')}
              {...form.getInputProps('onOxygen', { type: 'checkbox' })}
            />
            {number('systolic', { min: 40, max: 300 })}
            {number('diastolic', { min: 20, max: 200 })}
            {number('heartRate', { min: 20, max: 300 })}
            <NativeSelect
              label={t('vitals.fields.consciousness')}
              data={[
                { value: '', label: '—' },
                ...CONSCIOUSNESS.map((c) => ({ value: c, label: t(`vitals.consciousnessLevels.${c}`) })),
              ]}
              key={form.key('consciousness')}
              {...form.getInputProps('consciousness')}
            />
            {number('temperature', { allowDecimal: true, decimalScale: 1, decimalSeparator, min: 25, max: 45 })}
            {number('weightKg', { allowDecimal: true, decimalScale: 1, decimalSeparator, min: 0.3, max: 500 })}
            {number('heightCm', { allowDecimal: true, decimalScale: 1, decimalSeparator, min: 20, max: 260 })}
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('vitals.fields.bmi')}
              </Text>
              <Text size="sm" py={7} data-testid="bmi" aria-live="polite">
                {bmi === null ? '—' : bmi.toLocaleString(i18n.resolvedLanguage)}
              </Text>
            </div>
            {number('pain', { min: 0, max: 10 })}
            {number('glucose', { allowDecimal: true, decimalScale: 1, decimalSeparator, min: 0.5, max: 60 })}
            <Textarea
              label={t('vitals.fields.note')}
              autosize
              minRows={1}
              maxRows={4}
              maxLength={500}
              style={{ gridColumn: 'span 2' }}
              key={form.key('note')}
              {...form.getInputProps('note')}
            />
          </SimpleGrid>
          <Paper p="sm" bg="var(--mantine-color-default-hover)" aria-live="polite" data-testid="news2-live">
            {live ? (
              <Stack gap={6}>
                <Group gap="sm">
                  <Text size="sm" fw={600}>
                    {t('news2.live')}
                  </Text>
                  <News2Badge news2={live} size="lg" />
                </Group>
                <News2Scores news2={live} />
                {live.alert && (
                  <Text size="sm" c="red.8" fw={600}>
                    <IconAlertTriangle size={14} aria-hidden style={{ verticalAlign: -2, marginRight: 4 }} />
                    {t('news2.alert')}
                  </Text>
                )}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t('news2.incomplete')}
              </Text>
            )}
          </Paper>
          {needsMeasure && (
            <Alert color="red" role="alert" p="xs">
              {t('vitals.needsMeasure')}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={record.isPending}>
              {t('vitals.record')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
