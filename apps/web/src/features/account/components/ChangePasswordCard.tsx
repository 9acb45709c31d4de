import { Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { NewPasswordFields, validatePassword } from '../../../components/PasswordFields.tsx';
import { useChangePassword } from '../api/account.ts';

export function ChangePasswordCard() {
  const { t } = useTranslation('account');
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', password: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('validation.required')),
      password: (v, values) =>
        validatePassword(v, t) ?? (v === values.currentPassword ? t('validation.passwordUnchanged') : null),
      confirmPassword: (v, values) => (v === values.password ? null : t('validation.passwordMismatch')),
    },
  });

  const submit = form.onSubmit((values) => {
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.password },
      {
        onSuccess: () => {
          form.reset();
          notifySuccess(t('account.password.changed'));
        },
        onError: (err) => handleFormError(form, err, t, { newPassword: 'password' }),
      },
    );
  });

  return (
    <Paper p="md">
      <Title order={2}>{t('account.password.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('account.password.help')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={380}>
          <PasswordInput
            label={t('account.password.current')}
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
          <NewPasswordFields form={form} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('account.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
