import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RegisterBody } from '@sanita/contracts/auth';
import { SEXES, type Sex } from '@sanita/contracts/patients';
import { applyFieldErrors, errorMessage } from '../../../lib/errors.ts';
import { currentLanguage } from '../../../lib/i18n/i18n.ts';
import { ISO_DATE } from '../../../lib/dates.ts';
import { useClinics } from '../../../lib/api/clinics.ts';
import { fieldRule } from '../../../lib/validation.ts';
import { useRegister } from '../api/auth.ts';
import { NewPasswordFields, validatePassword } from '../../../components/PasswordFields.tsx';

export function RegisterPage() {
  const { t } = useTranslation('auth');
  const clinics = useClinics();
  const register = useRegister();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const today = dayjs().format(ISO_DATE);

  const form = useForm({
    initialValues: {
      givenName: '',
      familyName: '',
      birthDate: '',
      sex: '' as Sex | '',
      phone: '',
      clinicId: '',
      email: '',
      password: '',
      confirmPassword: '',
    },
    validate: {
      // the server's own rules (RegisterBody); the birth date's future is the web's to check
      givenName: fieldRule(RegisterBody.properties.givenName, t),
      familyName: fieldRule(RegisterBody.properties.familyName, t),
      birthDate: (v) => (!v ? t('validation.required') : v > today ? t('validation.birthDateFuture') : null),
      sex: (v) => (v ? null : t('validation.required')),
      phone: fieldRule(RegisterBody.properties.phone, t, { optional: true, message: t('validation.phone') }),
      clinicId: (v) => (v ? null : t('validation.required')),
      email: fieldRule(RegisterBody.properties.email, t),
      password: (v) => validatePassword(v, t),
      confirmPassword: (v, values) => (v === values.password ? null : t('validation.passwordMismatch')),
    },
  });

  const submit = form.onSubmit((values) => {
    setError(null);
    register.mutate(
      {
        email: values.email.trim(),
        password: values.password,
        givenName: values.givenName.trim(),
        familyName: values.familyName.trim(),
        birthDate: values.birthDate,
        sex: values.sex as Sex,
        ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
        clinicId: values.clinicId,
        locale: currentLanguage(),
      },
      {
        onSuccess: () => setSentTo(values.email.trim()),
        onError: (err) => {
          if (!applyFieldErrors(form, err, t)) setError(errorMessage(err, t));
        },
      },
    );
  });

  if (sentTo) {
    return (
      <Stack align="center" ta="center" gap="sm">
        <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
          <IconMailCheck size={28} />
        </ThemeIcon>
        <Title order={1}>{t('auth.register.checkEmailTitle')}</Title>
        <Text size="sm">{t('auth.register.checkEmail', { email: sentTo })}</Text>
        <Anchor component={Link} to="/login">
          {t('auth.backToSignIn')}
        </Anchor>
      </Stack>
    );
  }

  const clinicOptions = [
    { value: '', label: clinics.isPending ? t('common.loading') : t('auth.register.chooseClinic'), disabled: true },
    ...(clinics.data?.data ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <div>
          <Title order={1}>{t('auth.register.title')}</Title>
          <Text size="sm" c="dimmed" mt={4}>
            {t('auth.register.subtitle')}
          </Text>
        </div>
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {error}
          </Alert>
        )}
        {clinics.isError && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {errorMessage(clinics.error, t)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={t('patient.fields.givenName')}
            autoComplete="given-name"
            required
            autoFocus
            {...form.getInputProps('givenName')}
          />
          <TextInput
            label={t('patient.fields.familyName')}
            autoComplete="family-name"
            required
            {...form.getInputProps('familyName')}
          />
          <TextInput
            label={t('patient.fields.birthDate')}
            type="date"
            max={today}
            autoComplete="bday"
            required
            {...form.getInputProps('birthDate')}
          />
          <TextInput label={t('patient.fields.phone')} type="tel" autoComplete="tel" {...form.getInputProps('phone')} />
        </SimpleGrid>
        <Radio.Group label={t('patient.fields.sex')} required {...form.getInputProps('sex')}>
          <Group gap="md" mt={6}>
            {SEXES.map((s) => (
              <Radio key={s} value={s} label={t(`sex.${s}`)} />
            ))}
          </Group>
        </Radio.Group>
        <NativeSelect
          label={t('auth.register.clinic')}
          description={t('auth.register.clinicHelp')}
          data={clinicOptions}
          required
          {...form.getInputProps('clinicId')}
        />
        <TextInput label={t('auth.email')} type="email" autoComplete="email" required {...form.getInputProps('email')} />
        <NewPasswordFields form={form} label={t('auth.password')} />
        <Button type="submit" loading={register.isPending} fullWidth>
          {t('auth.register.submit')}
        </Button>
        <Text size="sm" ta="center">
          {t('auth.register.haveAccount')}{' '}
          <Anchor component={Link} to="/login">
            {t('auth.signIn')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
