import { Anchor, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { usePatientInvoices } from '../api/billing.ts';
import { sum } from '../lib/money.ts';
import { useMoney } from './format.ts';
import { InvoiceStatusBadge } from './StatusBadge.tsx';

/** The chart summary's billing card: the patient's open balance at this clinic per currency, and the open invoices. */
export function BalanceCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const invoices = usePatientInvoices(patient.id);
  const open = (invoices.data ?? []).filter((i) => i.status !== 'void');
  const currencies = [...new Set(open.map((i) => i.currency))];
  return (
    <ChartCard title={t('chart.title')} testId="billing-balance">
      {invoices.isPending ? (
        <Skeleton h={40} />
      ) : invoices.error ? (
        <Text size="sm" c="dimmed">
          {t('chart.unavailable')}
        </Text>
      ) : open.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.none')}
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm" fw={700}>
            {t('chart.balance', {
              amount: currencies
                .map((c) =>
                  money(
                    sum(
                      open.filter((i) => i.currency === c).map((i) => i.balance),
                      c,
                    ),
                    c,
                  ),
                )
                .join(' + '),
            })}
          </Text>
          {open.slice(0, 4).map((i) => (
            <Group key={i.id} gap="xs" justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/billing/invoices/${i.id}`} size="sm">
                {i.number ?? t('invoice.draftNumber')}
              </Anchor>
              <InvoiceStatusBadge status={i.status} />
              <Text size="sm">{money(i.balance, i.currency)}</Text>
            </Group>
          ))}
        </Stack>
      )}
    </ChartCard>
  );
}
