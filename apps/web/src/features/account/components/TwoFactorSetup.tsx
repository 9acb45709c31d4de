import { useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, Image, Paper, Stack, Text, TextInput, ActionIcon, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconQrcode } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api/errors.ts';
import { applyFieldErrors, notifyError } from '../../../lib/errors.ts';
import { useEnableTwoFactor, useStartTwoFactorSetup } from '../api/account.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';

/**
 * Enrollment in three steps: get a secret (QR code and text), prove it with a first code, then keep
 * the recovery codes. `onDone` runs only after the user confirms the codes are saved.
 */
export function TwoFactorSetup({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useTranslation('account');
  const start = useStartTwoFactorSetup();
  const enable = useEnableTwoFactor();
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.replace(/\s/g, '')) ? null : t('auth.mfa.codeFormat')) },
  });

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;

  if (!start.data) {
    return (
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('account.twoFactor.intro')}</Text>
        {start.isError && (
          <Alert color="red" role="alert">
            {isApiError(start.error, 'MFA_ALREADY_ENABLED') ? t('account.twoFactor.alreadyOn') : t('errors.unexpected')}
          </Alert>
        )}
        <Group gap="xs">
          <Button leftSection={<IconQrcode size={16} aria-hidden />} loading={start.isPending} onClick={() => start.mutate()}>
            {t('account.twoFactor.start')}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    );
  }

  const setup = start.data;
  const submit = form.onSubmit(({ code }) => {
    enable.mutate(code.replace(/\s/g, ''), {
      onSuccess: (res) => setCodes(res.recoveryCodes),
      onError: (err) => {
        if (!applyFieldErrors(form, err, t)) notifyError(err, t);
      },
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('account.twoFactor.scan')}</Text>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <Paper p="xs" bg="white">
            <Image src={setup.qrDataUrl} alt={t('account.twoFactor.qrAlt')} w={180} h={180} />
          </Paper>
          <Stack gap={6} maw={320}>
            <Text size="sm" fw={500}>
              {t('account.twoFactor.manual')}
            </Text>
            <Group gap={4} wrap="nowrap">
              <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
                {setup.secret}
              </Code>
              <CopyButton value={setup.secret}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? t('common.copied') : t('account.twoFactor.copySecret')}>
                    <ActionIcon variant="subtle" color="gray" onClick={copy} aria-label={t('account.twoFactor.copySecret')}>
                      {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
            <TextInput
              label={t('auth.mfa.code')}
              description={t('account.twoFactor.codeHelp')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              required
              autoFocus
              {...form.getInputProps('code')}
            />
            <Group gap="xs">
              <Button type="submit" loading={enable.isPending}>
                {t('account.twoFactor.enable')}
              </Button>
              {onCancel && (
                <Button variant="default" onClick={onCancel}>
                  {t('common.cancel')}
                </Button>
              )}
            </Group>
          </Stack>
        </Group>
      </Stack>
    </form>
  );
}
