import { Alert, Anchor, Button, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../lib/errors.ts';
import { useVerifyEmail } from '../api/auth.ts';

export function VerifyEmailPage() {
  const { t } = useTranslation('auth');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useVerifyEmail(token);

  return (
    <Stack gap="md">
      <Title order={1}>{t('auth.verify.title')}</Title>
      {!token ? (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
          {t('auth.verify.missingToken')}
        </Alert>
      ) : verify.isPending ? (
        <Stack align="center" gap="xs" role="status">
          <Loader aria-hidden />
          <Text size="sm">{t('auth.verify.checking')}</Text>
        </Stack>
      ) : verify.isError ? (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" title={t('auth.verify.failed')}>
          {errorMessage(verify.error, t)}
        </Alert>
      ) : (
        <>
          <Alert color="green" icon={<IconCircleCheck aria-hidden />} role="status">
            {t('auth.verify.done')}
          </Alert>
          <Button component={Link} to="/login" fullWidth>
            {t('auth.signIn')}
          </Button>
        </>
      )}
      {(verify.isError || !token) && (
        <Anchor component={Link} to="/login" size="sm" ta="center">
          {t('auth.backToSignIn')}
        </Anchor>
      )}
    </Stack>
  );
}
