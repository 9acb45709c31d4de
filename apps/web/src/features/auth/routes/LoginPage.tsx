import { useState } from 'react';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { applyFieldErrors, errorMessage } from '../../../lib/errors.ts';
import { changeLanguage, currentLanguage } from '../../../lib/i18n/i18n.ts';

type Step = 'password' | 'totp' | 'recovery';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const { login } = useAuth();
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const form = useForm({
    initialValues: { email: '', password: '', totp: '', recoveryCode: '' },
    validate: {
      email: (v) => (v.trim() ? null : t('validation.required')),
      password: (v) => (v ? null : t('validation.required')),
      totp: (v) => (step === 'totp' && !/^\d{6}$/.test(v.replace(/\s/g, '')) ? t('auth.mfa.codeFormat') : null),
      recoveryCode: (v) => (step === 'recovery' && v.trim().length < 6 ? t('validation.required') : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setSubmitting(true);
    try {
      // Success flips the session to signed-in and the route guard takes the user onwards.
      const me = await login({
        email: values.email.trim(),
        password: values.password,
        ...(step === 'totp' ? { totp: values.totp.replace(/\s/g, '') } : {}),
        ...(step === 'recovery' ? { recoveryCode: values.recoveryCode.trim() } : {}),
      });
      // the language of the user's profile applies from sign-in on (the menu can still switch it)
      if (me.locale && me.locale !== currentLanguage()) await changeLanguage(me.locale);
    } catch (err) {
      if (isApiError(err, 'MFA_REQUIRED')) {
        setStep('totp');
      } else if (isApiError(err, 'INVALID_MFA_CODE')) {
        form.setFieldError(step === 'recovery' ? 'recoveryCode' : 'totp', t('errors.INVALID_MFA_CODE'));
      } else if (!applyFieldErrors(form, err, t)) {
        setError(errorMessage(err, t));
      }
    } finally {
      setSubmitting(false);
    }
  });

  const backToPassword = () => {
    setStep('password');
    setError(null);
    form.setValues({ password: '', totp: '', recoveryCode: '' });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <div>
          <Title order={1}>{step === 'password' ? t('auth.login.title') : t('auth.mfa.title')}</Title>
          <Text size="sm" c="dimmed" mt={4}>
            {step === 'password'
              ? t('auth.login.subtitle')
              : step === 'totp'
                ? t('auth.mfa.totpHelp')
                : t('auth.mfa.recoveryHelp')}
          </Text>
        </div>

        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {error}
          </Alert>
        )}

        {step === 'password' ? (
          <>
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="username"
              required
              autoFocus
              {...form.getInputProps('email')}
            />
            <div>
              <PasswordInput
                label={t('auth.password')}
                autoComplete="current-password"
                required
                {...form.getInputProps('password')}
              />
              <Group justify="flex-end" mt={6}>
                <Anchor component={Link} to="/forgot-password" size="sm">
                  {t('auth.login.forgot')}
                </Anchor>
              </Group>
            </div>
          </>
        ) : step === 'totp' ? (
          <TextInput
            key="totp"
            label={t('auth.mfa.code')}
            leftSection={<IconShieldLock size={16} aria-hidden />}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            autoFocus
            {...form.getInputProps('totp')}
          />
        ) : (
          <TextInput
            key="recovery"
            label={t('auth.mfa.recoveryCode')}
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus
            {...form.getInputProps('recoveryCode')}
          />
        )}

        <Button type="submit" loading={submitting} fullWidth>
          {step === 'password' ? t('auth.signIn') : t('auth.mfa.verify')}
        </Button>

        {step === 'password' ? (
          <Text size="sm" ta="center">
            {t('auth.login.newPatient')}{' '}
            <Anchor component={Link} to="/register">
              {t('auth.login.createAccount')}
            </Anchor>
          </Text>
        ) : (
          <Group justify="space-between">
            <Anchor component="button" type="button" size="sm" onClick={backToPassword}>
              {t('auth.mfa.back')}
            </Anchor>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                form.clearErrors();
                setError(null);
                setStep(step === 'totp' ? 'recovery' : 'totp');
              }}
            >
              {step === 'totp' ? t('auth.mfa.useRecovery') : t('auth.mfa.useApp')}
            </Anchor>
          </Group>
        )}
      </Stack>
    </form>
  );
}
