import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, PasswordInput, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { useDisableTwoFactor, useTwoFactorStatus } from '../api/account.ts';
import { TwoFactorSetup } from './TwoFactorSetup.tsx';

function DisableForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('account');
  const disable = useDisableTwoFactor();
  const form = useForm({
    initialValues: { password: '', code: '' },
    validate: {
      password: (v) => (v ? null : t('validation.required')),
      code: (v) => (/^\d{6}$/.test(v.replace(/\s/g, '')) ? null : t('auth.mfa.codeFormat')),
    },
  });
  const submit = form.onSubmit((values) =>
    disable.mutate(
      { password: values.password, code: values.code.replace(/\s/g, '') },
      {
        onSuccess: () => {
          notifySuccess(t('account.twoFactor.disabled'));
          onDone();
        },
        onError: (err) => handleFormError(form, err, t),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={380}>
        <Text size="sm">{t('account.twoFactor.disableHelp')}</Text>
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          required
          autoFocus
          {...form.getInputProps('password')}
        />
        <TextInput
          label={t('auth.mfa.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          {...form.getInputProps('code')}
        />
        <Group gap="xs">
          <Button type="submit" color="red" loading={disable.isPending}>
            {t('account.twoFactor.disable')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TwoFactorCard() {
  const { t } = useTranslation('account');
  const { reloadMe } = useAuth();
  const status = useTwoFactorStatus();
  const [mode, setMode] = useState<'view' | 'setup' | 'disable'>('view');

  const finish = () => {
    setMode('view');
    void status.refetch();
    void reloadMe();
  };

  return (
    <Paper p="md">
      <Group justify="space-between" mb="xs">
        <Title order={2}>{t('account.twoFactor.title')}</Title>
        {status.data && (
          <Badge
            variant="light"
            color={status.data.enabled ? 'green' : 'gray'}
            leftSection={
              status.data.enabled ? <IconShieldCheck size={12} aria-hidden /> : <IconShieldOff size={12} aria-hidden />
            }
          >
            {status.data.enabled ? t('account.twoFactor.on') : t('account.twoFactor.off')}
          </Badge>
        )}
      </Group>
      {status.isPending ? (
        <Skeleton h={60} />
      ) : status.isError ? (
        <QueryError error={status.error} onRetry={() => void status.refetch()} />
      ) : mode === 'setup' ? (
        <TwoFactorSetup onDone={finish} onCancel={() => setMode('view')} />
      ) : mode === 'disable' ? (
        <DisableForm onDone={finish} />
      ) : status.data.enabled ? (
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('account.twoFactor.enabledHelp', { count: status.data.recoveryCodesLeft })}</Text>
          {status.data.required ? (
            <Alert color="gray" p="xs">
              {t('account.twoFactor.requiredByRole')}
            </Alert>
          ) : (
            <Button variant="default" color="red" onClick={() => setMode('disable')}>
              {t('account.twoFactor.disable')}
            </Button>
          )}
        </Stack>
      ) : (
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{status.data.required ? t('account.twoFactor.requiredNotSet') : t('account.twoFactor.offHelp')}</Text>
          <Button onClick={() => setMode('setup')}>{t('account.twoFactor.setUp')}</Button>
        </Stack>
      )}
    </Paper>
  );
}
