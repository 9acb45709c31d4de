import { useState } from 'react';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useBillingSettings, useInvoiceActions, type Invoice } from '../api/billing.ts';
import { compare, isDecimal, multiply, percentOf } from '../lib/money.ts';
import { useMoney } from './format.ts';

const DISCOUNT_COLORS = { pending: 'orange', approved: 'green', rejected: 'red', applied: 'green' } as const;

/**
 * The invoice's discounts: a request (a percentage or an amount, with a reason) says beforehand when it
 * needs a second person's approval; a pending one shows Approve / Reject to another holder of invoices:discount.
 */
export function DiscountPanel({ invoice, editable }: { invoice: Invoice; editable: boolean }) {
  const { t } = useTranslation('billing');
  const { can, me } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const settings = useBillingSettings();
  const actions = useInvoiceActions(invoice.id);
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const v = value.trim();
  const numeric = isDecimal(v) && !v.startsWith('-');
  const threshold = settings.data?.discountApprovalPercent;
  // the discount as a share of the subtotal, compared with the clinic's threshold
  const aboveThreshold =
    numeric &&
    threshold !== undefined &&
    (kind === 'percent'
      ? compare(multiply(v, '1000', 'CDF'), multiply(threshold, '1000', 'CDF'), 'CDF') > 0
      : compare(multiply(v, '100', invoice.currency), multiply(invoice.subtotal, threshold, invoice.currency), invoice.currency) >
        0);
  // above the threshold only a holder of invoices:discount may ask, and another must approve
  const notMine = aboveThreshold && !can('invoices:discount');
  const asAmount = numeric && kind === 'percent' ? percentOf(invoice.subtotal, v, invoice.currency) : null;
  const submit = () => {
    if (!numeric || !reason.trim() || notMine) return;
    actions.discount.mutate(
      { ...(kind === 'percent' ? { percent: v } : { amount: v }), reason: reason.trim(), version: invoice.version },
      {
        onSuccess: (inv) => {
          const pending = inv.discounts.some((d) => d.status === 'pending');
          notifySuccess(pending ? t('discount.requested') : t('discount.applied'));
          setValue('');
          setReason('');
        },
      },
    );
  };
  return (
    <Stack gap="xs" data-testid="discounts">
      {invoice.discounts.length > 0 && (
        <Table verticalSpacing={4} withTableBorder>
          <Table.Tbody>
            {invoice.discounts.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.percent ? `${d.percent} %` : money(d.amount, invoice.currency)}</Table.Td>
                <Table.Td>{d.reason}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {t('discount.by', { name: d.requestedBy.name, time: f.dateTime(d.requestedAt) })}
                    {d.decidedBy && ` · ${t('discount.decidedBy', { name: d.decidedBy.name })}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={DISCOUNT_COLORS[d.status]}>
                    {t(`discount.status.${d.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {d.status === 'pending' && can('invoices:discount') && d.requestedBy.id !== me?.id && (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-xs"
                        color="green"
                        loading={actions.decide.isPending}
                        onClick={() => actions.decide.mutate({ discountId: d.id, approve: true })}
                      >
                        {t('discount.approve')}
                      </Button>
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="light"
                        loading={actions.decide.isPending}
                        onClick={() => actions.decide.mutate({ discountId: d.id, approve: false })}
                      >
                        {t('discount.reject')}
                      </Button>
                    </Group>
                  )}
                  {d.status === 'pending' && d.requestedBy.id === me?.id && (
                    <Text size="xs" c="dimmed">
                      {t('discount.waiting')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {actions.decide.error && <Alert color="red">{errorMessage(actions.decide.error, t)}</Alert>}
      {editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <SegmentedControl
              aria-label={t('discount.kind')}
              value={kind}
              onChange={(k) => setKind(k as 'percent' | 'amount')}
              data={[
                { value: 'percent', label: '%' },
                { value: 'amount', label: invoice.currency },
              ]}
            />
            <TextInput
              label={kind === 'percent' ? t('discount.percent') : t('discount.amount', { currency: invoice.currency })}
              w={130}
              inputMode="decimal"
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              error={v && !numeric ? t('form.amountInvalid') : undefined}
            />
            <TextInput
              label={t('discount.reason')}
              w={260}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Button
              type="submit"
              variant="light"
              disabled={!numeric || !reason.trim() || notMine}
              loading={actions.discount.isPending}
            >
              {aboveThreshold ? t('discount.request') : t('discount.apply')}
            </Button>
          </Group>
          <Group gap="xs" mt={4}>
            {asAmount && (
              <Text size="xs" c="dimmed">
                {t('discount.equals', { amount: money(asAmount, invoice.currency) })}
              </Text>
            )}
            {aboveThreshold && (
              <Badge color="orange" variant="light" data-testid="needs-approval">
                {t('discount.needsApproval', { threshold })}
              </Badge>
            )}
            {notMine && (
              <Text size="xs" c="orange.8">
                {t('discount.notYours')}
              </Text>
            )}
          </Group>
          {actions.discount.error && (
            <Alert color="red" mt="xs">
              {errorMessage(actions.discount.error, t)}
            </Alert>
          )}
        </form>
      )}
    </Stack>
  );
}
