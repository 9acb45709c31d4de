import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage } from '../../../lib/errors.ts';
import { useForgotPassword } from '../api/auth.ts';

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const forgot = useForgotPassword();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^[^\s@]+@[^\s@]+$/.test(v.trim()) ? null : t('validation.email')) },
  });

  const submit = form.onSubmit(({ email }) => {
    setError(null);
    forgot.mutate(email.trim(), {
      onSuccess: () => setSent(true),
      onError: (err) => {
        if (!applyFieldErrors(form, err, t)) setError(errorMessage(err, t));
      },
    });
  });

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{t('auth.forgot.title')}</Title>
        <Text size="sm" c="dimmed" mt={4}>
          {t('auth.forgot.subtitle')}
        </Text>
      </div>
      {sent ? (
        // The same answer whether or not the address has an account, so nobody can probe for users.
        <Alert color="green" icon={<IconMailCheck aria-hidden />} role="status">
          {t('auth.forgot.sent', { email: form.getValues().email.trim() })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {error && (
              <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="email"
              required
              autoFocus
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={forgot.isPending} fullWidth>
              {t('auth.forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm" ta="center">
        {t('auth.backToSignIn')}
      </Anchor>
    </Stack>
  );
}
