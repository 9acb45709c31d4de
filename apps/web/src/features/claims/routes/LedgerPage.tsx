import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import { useVerifyLedger } from '../api/claims.ts';

/** Administration: verify the claim ledger's hash chain and signed heads; names the first bad event. */
export function LedgerPage() {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  const verify = useVerifyLedger();
  const r = verify.data;
  return (
    <>
      <PageHeader title={t('ledger.title')} description={t('ledger.subtitle')} />
      <Stack gap="md" maw={760}>
        <Button
          leftSection={<IconShieldCheck size={18} aria-hidden />}
          loading={verify.isPending}
          onClick={() => verify.mutate(undefined, { onError: (err) => notifyError(err, t) })}
          w="fit-content"
        >
          {t('ledger.verify')}
        </Button>
        {r &&
          (r.ok ? (
            <Alert color="green" icon={<IconCircleCheck size={18} aria-hidden />} role="status">
              {t('ledger.ok', { checked: r.checked, head: r.headSeq, heads: r.signedHeads })}
            </Alert>
          ) : (
            <Alert color="red" icon={<IconShieldX size={18} aria-hidden />} role="alert">
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  {r.firstBad?.seq !== null && r.firstBad?.claimId
                    ? t('ledger.bad', { seq: r.firstBad.seq, reason: r.firstBad.reason })
                    : t('ledger.badHead', { reason: r.firstBad?.reason ?? '' })}
                </Text>
                {r.firstBad?.claimId && (
                  <Anchor component={Link} to={`/claims/${r.firstBad.claimId}`} size="sm">
                    {t('ledger.claim', { id: r.firstBad.claimId })}
                  </Anchor>
                )}
                <Text size="sm">{t('ledger.checkedBefore', { checked: r.checked })}</Text>
              </Stack>
            </Alert>
          ))}
        {r && (
          <Text size="xs" c="dimmed">
            {t('ledger.at', { at: f.dateTime(r.verifiedAt) })}
          </Text>
        )}
      </Stack>
    </>
  );
}
