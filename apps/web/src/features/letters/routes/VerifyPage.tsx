import { useState } from 'react';
import { Alert, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api/errors.ts';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage } from '../../../lib/errors.ts';
import { VERIFICATION_CODE_PATTERN } from '@sanita/contracts/letters';
import { useVerification } from '../api/letters.ts';

const CODE = new RegExp(VERIFICATION_CODE_PATTERN);

/**
 * The public page a letter's or prescription's QR code and printed address lead to: anyone holding the code
 * learns whether it is genuine, revoked or cancelled, its type, date and clinic — never whom it is about.
 */
export function VerifyPage() {
  const { t } = useTranslation('letters');
  const f = useFormatters();
  const navigate = useNavigate();
  const { code = '' } = useParams();
  const [typed, setTyped] = useState(code);
  const check = useVerification(code);

  return (
    <Stack gap="md">
      <Title order={1}>{t('verify.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('verify.help')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void navigate(`/verify/${encodeURIComponent(typed.trim().toUpperCase())}`);
        }}
      >
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('verify.code')}
            placeholder="7KQ4-M2XD-9PHT"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            ff="monospace"
            autoFocus={!code}
          />
          <Button type="submit">{t('verify.check')}</Button>
        </Group>
      </form>
      {code &&
        (check.isLoading ? (
          <Group gap="xs" role="status">
            <Loader size="sm" aria-hidden />
            <Text size="sm">{t('verify.checking')}</Text>
          </Group>
        ) : !CODE.test(code) || (check.isError && isApiError(check.error) && check.error.status === 400) ? (
          <Alert color="orange" icon={<IconAlertCircle aria-hidden />} role="alert">
            {t('verify.malformed')}
          </Alert>
        ) : check.isError ? (
          <Alert color="red" icon={<IconCircleX aria-hidden />} role="alert" title={t('verify.unknownTitle')}>
            {isApiError(check.error) && check.error.status === 404 ? t('verify.unknown') : errorMessage(check.error, t)}
          </Alert>
        ) : check.data && check.data.status !== 'genuine' ? (
          <Alert
            color="red"
            icon={<IconCircleX aria-hidden />}
            role="status"
            title={t(check.data.status === 'cancelled' ? 'verify.cancelledTitle' : 'verify.revokedTitle')}
            data-testid="verification"
          >
            {t(check.data.status === 'cancelled' ? 'verify.cancelled' : 'verify.revoked', {
              kind: t(`kinds.${check.data.kind}`),
              date: f.date(check.data.issuedAt),
              clinic: check.data.clinic,
            })}
          </Alert>
        ) : check.data ? (
          <Alert
            color="green"
            icon={<IconCircleCheck aria-hidden />}
            role="status"
            title={t('verify.genuineTitle')}
            data-testid="verification"
          >
            {t('verify.genuine', {
              kind: t(`kinds.${check.data.kind}`),
              date: f.date(check.data.issuedAt),
              clinic: check.data.clinic,
            })}
          </Alert>
        ) : null)}
    </Stack>
  );
}
