import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { TwoFactorSetup } from '../components/TwoFactorSetup.tsx';

/** Where a user lands when their role requires 2FA they have not set up; nothing else works until then. */
export function MfaSetupPage() {
  const { t } = useTranslation('account');
  const { reloadMe, logout } = useAuth();
  const navigate = useNavigate();

  const done = () => {
    reloadMe().then(
      () => {
        notifySuccess(t('account.twoFactor.enabled'));
        void navigate('/', { replace: true });
      },
      (err: unknown) => notifyError(err, t),
    );
  };

  return (
    <Stack gap="md">
      <Title order={1}>{t('mfaSetup.title')}</Title>
      <Alert color="brand" icon={<IconShieldLock aria-hidden />}>
        {t('mfaSetup.explanation')}
      </Alert>
      <TwoFactorSetup onDone={done} />
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          {t('mfaSetup.apps')}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={() => void logout()}>
          {t('auth.signOut')}
        </Anchor>
      </Group>
    </Stack>
  );
}
