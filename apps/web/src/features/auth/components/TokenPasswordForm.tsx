import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api/errors.ts';
import { applyFieldErrors, errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { NewPasswordFields, validatePassword } from '../../../components/PasswordFields.tsx';

interface TokenPasswordFormProps {
  title: string;
  subtitle: string;
  submitLabel: string;
  successMessage: string;
  missingTokenMessage: string;
  invalidTokenMessage: string;
  pending: boolean;
  submit: (body: { token: string; password: string }) => Promise<unknown>;
}

/** Password reset and invitation acceptance: a one-time token from an e-mail plus a new password. */
export function TokenPasswordForm(props: TokenPasswordFormProps) {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '', confirmPassword: '' },
    validate: {
      password: (v) => validatePassword(v, t),
      confirmPassword: (v, values) => (v === values.password ? null : t('validation.passwordMismatch')),
    },
  });

  const onSubmit = form.onSubmit(async ({ password }) => {
    setError(null);
    try {
      await props.submit({ token, password });
      notifySuccess(props.successMessage);
      await navigate('/login', { replace: true });
    } catch (err) {
      const placed = applyFieldErrors(form, err, t);
      // A bad token is not a field the user can fix here: say so at the top.
      const badToken = err instanceof ApiError && err.fieldIssues.some((i) => i.field === 'token');
      if (badToken) setError(props.invalidTokenMessage);
      else if (!placed) setError(errorMessage(err, t));
    }
  });

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{props.title}</Title>
        <Text size="sm" c="dimmed" mt={4}>
          {props.subtitle}
        </Text>
      </div>
      {!token ? (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
          {props.missingTokenMessage}
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            {error && (
              <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
                {error}
              </Alert>
            )}
            <NewPasswordFields form={form} />
            <Button type="submit" loading={props.pending} fullWidth>
              {props.submitLabel}
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
