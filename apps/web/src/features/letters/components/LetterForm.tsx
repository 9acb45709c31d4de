import { useState } from 'react';
import { Button, Group, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileTypePdf } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { REFERRAL_URGENCIES, SICK_NOTE_MAX_DAYS, WRITTEN_LETTER_KINDS, type WrittenLetterKind } from '@sanita/contracts/letters';
import { handleFormError, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useIssueLetter, useOpenLetter, type Letter, type LetterInput } from '../api/letters.ts';

interface Values {
  kind: WrittenLetterKind;
  language: 'en' | 'fr';
  body: string;
  reason: string;
  recipient: string;
  urgency: 'routine' | 'urgent';
  restFrom: string;
  restTo: string;
}

/** Only the fields of the chosen kind go to the server (it refuses the others rather than drop them). */
function bodyOf(v: Values, encounterId?: string): LetterInput {
  const text = (s: string) => (s.trim() ? s.trim() : undefined);
  const common = { kind: v.kind, language: v.language, ...(encounterId ? { encounterId } : {}) };
  if (v.kind === 'medical_certificate') return { ...common, body: text(v.body), reason: text(v.reason) };
  if (v.kind === 'sick_note')
    return { ...common, restFrom: v.restFrom || undefined, restTo: v.restTo || undefined, body: text(v.body) };
  return { ...common, recipient: text(v.recipient), reason: text(v.reason), body: text(v.body), urgency: v.urgency };
}

/**
 * Issue a letter: the kind first (certificate, sick note, referral), then only its fields, in the language
 * of the letter. Once issued the letter cannot change, so the last step opens its PDF.
 */
export function LetterForm({ patientId, encounterId, onDone }: { patientId: string; encounterId?: string; onDone: () => void }) {
  const { t, i18n } = useTranslation('letters');
  const issue = useIssueLetter(patientId);
  const open = useOpenLetter();
  const [issued, setIssued] = useState<Letter | null>(null);
  const today = dayjs().format('YYYY-MM-DD');
  const form = useForm<Values>({
    initialValues: {
      kind: 'medical_certificate',
      language: i18n.resolvedLanguage === 'fr' ? 'fr' : 'en',
      body: '',
      reason: '',
      recipient: '',
      urgency: 'routine',
      restFrom: today,
      restTo: today,
    },
    validate: (v) => {
      const required = (s: string) => (s.trim() ? null : t('form.required'));
      if (v.kind === 'medical_certificate') return { body: required(v.body) };
      if (v.kind === 'referral') return { recipient: required(v.recipient), reason: required(v.reason), body: required(v.body) };
      const days = dayjs(v.restTo).diff(dayjs(v.restFrom), 'day') + 1;
      return {
        restFrom: v.restFrom ? null : t('form.required'),
        restTo: !v.restTo
          ? t('form.required')
          : days < 1
            ? t('form.restToBefore')
            : days > SICK_NOTE_MAX_DAYS
              ? t('form.restTooLong', { max: SICK_NOTE_MAX_DAYS })
              : null,
      };
    },
  });
  const v = form.values;
  const days = dayjs(v.restTo).diff(dayjs(v.restFrom), 'day') + 1;

  if (issued) {
    return (
      <Stack gap="md">
        <Text>{t('form.issued', { kind: t(`kinds.${issued.kind}`) })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('form.close')}
          </Button>
          <Button
            leftSection={<IconFileTypePdf size={16} aria-hidden />}
            data-autofocus
            onClick={() => void open(issued).then(onDone, (err: unknown) => notifyError(err, t))}
          >
            {t('open')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = form.onSubmit((values) =>
    issue.mutate(bodyOf(values, encounterId), {
      onSuccess: (letter) => {
        notifySuccess(t('form.issued', { kind: t(`kinds.${letter.kind}`) }));
        setIssued(letter);
      },
      onError: (err) => handleFormError(form, err, t),
    }),
  );

  return (
    <form onSubmit={submit} noValidate data-testid="letter-form">
      <Stack gap="sm">
        <SegmentedControl
          fullWidth
          aria-label={t('form.kind')}
          data={WRITTEN_LETTER_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          {...form.getInputProps('kind')}
        />
        {v.kind === 'medical_certificate' && (
          <>
            <Textarea
              label={t('form.certifies')}
              placeholder={t('form.certifiesPlaceholder')}
              autosize
              minRows={3}
              withAsterisk
              data-autofocus
              {...form.getInputProps('body')}
            />
            <TextInput
              label={t('form.issuedFor')}
              placeholder={t('form.issuedForPlaceholder')}
              {...form.getInputProps('reason')}
            />
          </>
        )}
        {v.kind === 'sick_note' && (
          <>
            <Group grow align="flex-start">
              <TextInput type="date" label={t('form.restFrom')} withAsterisk data-autofocus {...form.getInputProps('restFrom')} />
              <TextInput type="date" label={t('form.restTo')} withAsterisk {...form.getInputProps('restTo')} />
            </Group>
            {days >= 1 && days <= SICK_NOTE_MAX_DAYS && (
              <Text size="sm" c="dimmed" aria-live="polite">
                {t('form.days', { count: days })}
              </Text>
            )}
            <Textarea
              label={t('form.remarks')}
              placeholder={t('form.remarksPlaceholder')}
              autosize
              minRows={2}
              {...form.getInputProps('body')}
            />
          </>
        )}
        {v.kind === 'referral' && (
          <>
            <TextInput
              label={t('form.recipient')}
              placeholder={t('form.recipientPlaceholder')}
              withAsterisk
              data-autofocus
              {...form.getInputProps('recipient')}
            />
            <SegmentedControl
              aria-label={t('form.urgency')}
              data={REFERRAL_URGENCIES.map((u) => ({ value: u, label: t(`urgencies.${u}`) }))}
              {...form.getInputProps('urgency')}
            />
            <TextInput label={t('form.reason')} withAsterisk {...form.getInputProps('reason')} />
            <Textarea
              label={t('form.summary')}
              placeholder={t('form.summaryPlaceholder')}
              autosize
              minRows={4}
              withAsterisk
              {...form.getInputProps('body')}
            />
          </>
        )}
        <Select
          label={t('form.language')}
          data={[
            { value: 'en', label: 'English' },
            { value: 'fr', label: 'Français' },
          ]}
          allowDeselect={false}
          w={200}
          {...form.getInputProps('language')}
        />
        <Text size="xs" c="dimmed">
          {t('form.immutable')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" loading={issue.isPending}>
            {t('form.issue')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
