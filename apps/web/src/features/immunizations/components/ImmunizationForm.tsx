import { useState } from 'react';
import {
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { IMMUNIZATION_ROUTES, IMMUNIZATION_SITES, type ImmunizationSource } from '@sanita/contracts/immunizations';
import { ApiError } from '../../../lib/api/errors.ts';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { CvxPicker, type CvxCode } from '../../terminology/index.ts';
import { useRecordImmunization } from '../api/immunizations.ts';

interface Values {
  source: ImmunizationSource;
  occurredOn: string;
  lotNumber: string;
  site: string;
  route: string;
  doseNumber: number | '';
  performerName: string;
  note: string;
}

const today = () => dayjs().format('YYYY-MM-DD');
const initial = (): Values => ({
  source: 'administered',
  occurredOn: today(),
  lotNumber: '',
  site: '',
  route: '',
  doseNumber: '',
  performerName: '',
  note: '',
});

/** Record a vaccine: chosen from CDC's CVX list; given here (the user, with its lot) or reported (given elsewhere). */
export function ImmunizationForm({ patientId, birthDate }: { patientId: string; birthDate: string }) {
  const { t } = useTranslation('immunizations');
  const record = useRecordImmunization(patientId);
  const [vaccine, setVaccine] = useState<CvxCode | null>(null);
  const [vaccineError, setVaccineError] = useState<string | null>(null);
  const [pickerKey, setPickerKey] = useState(0);
  const form = useForm<Values>({
    initialValues: initial(),
    validate: {
      occurredOn: (v) =>
        !v ? t('form.required') : v > today() ? t('form.future') : v < birthDate ? t('form.beforeBirth') : null,
      lotNumber: (v, values) => (values.source === 'administered' && !v.trim() ? t('form.lotRequired') : null),
    },
  });
  const source = form.getValues().source;

  const submit = form.onSubmit((v) => {
    if (!vaccine) {
      setVaccineError(t('form.chooseVaccine'));
      return;
    }
    record.mutate(
      {
        cvxCode: vaccine.code,
        source: v.source,
        occurredOn: v.occurredOn,
        ...(v.lotNumber.trim() ? { lotNumber: v.lotNumber } : {}),
        ...(v.site ? { site: v.site as never } : {}),
        ...(v.route ? { route: v.route as never } : {}),
        ...(v.doseNumber !== '' ? { doseNumber: v.doseNumber } : {}),
        ...(v.performerName.trim() ? { performerName: v.performerName } : {}),
        ...(v.note.trim() ? { note: v.note } : {}),
      },
      {
        onSuccess: () => {
          notifySuccess(t('form.recorded', { vaccine: vaccine.shortDescription }));
          form.setValues(initial());
          setVaccine(null);
          setPickerKey((k) => k + 1);
        },
        onError: (err) => {
          handleFormError(form, err, t);
          if (err instanceof ApiError && err.fieldIssues.some((i) => i.field === 'cvxCode'))
            setVaccineError(t('form.unknownVaccine'));
        },
      },
    );
  });

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} aria-labelledby="immunization-form-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="immunization-form-title">
          {t('form.title')}
        </Title>
        <SegmentedControl
          aria-label={t('form.source')}
          data={[
            { value: 'administered', label: t('sources.administered') },
            { value: 'reported', label: t('sources.reported') },
          ]}
          {...form.getInputProps('source')}
          key={form.key('source')}
        />
        <CvxPicker
          key={pickerKey}
          label={t('form.vaccine')}
          value={vaccine}
          onChange={(v) => {
            setVaccine(v);
            setVaccineError(null);
          }}
          error={vaccineError ?? undefined}
          required
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            type="date"
            label={t('form.occurredOn')}
            withAsterisk
            max={today()}
            min={birthDate}
            key={form.key('occurredOn')}
            {...form.getInputProps('occurredOn')}
          />
          <TextInput
            label={t('form.lotNumber')}
            withAsterisk={source === 'administered'}
            autoComplete="off"
            key={form.key('lotNumber')}
            {...form.getInputProps('lotNumber')}
          />
          <NumberInput
            label={t('form.doseNumber')}
            min={1}
            max={20}
            allowDecimal={false}
            allowNegative={false}
            key={form.key('doseNumber')}
            {...form.getInputProps('doseNumber')}
          />
          <NativeSelect
            label={t('form.site')}
            data={[{ value: '', label: '—' }, ...IMMUNIZATION_SITES.map((s) => ({ value: s, label: t(`sites.${s}`) }))]}
            key={form.key('site')}
            {...form.getInputProps('site')}
          />
          <NativeSelect
            label={t('form.route')}
            data={[{ value: '', label: '—' }, ...IMMUNIZATION_ROUTES.map((r) => ({ value: r, label: t(`routes.${r}`) }))]}
            key={form.key('route')}
            {...form.getInputProps('route')}
          />
          <TextInput
            label={source === 'administered' ? t('form.performerHere') : t('form.performerElsewhere')}
            autoComplete="off"
            key={form.key('performerName')}
            {...form.getInputProps('performerName')}
          />
        </SimpleGrid>
        <Textarea
          label={t('form.note')}
          autosize
          minRows={1}
          maxRows={4}
          key={form.key('note')}
          {...form.getInputProps('note')}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {source === 'administered' ? t('form.administeredHelp') : t('form.reportedHelp')}
          </Text>
          <Button type="submit" loading={record.isPending}>
            {t('form.submit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
