import { useMemo, useState } from 'react';
import { Alert, Button, Group, Modal, Select, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { PAYMENT_METHODS, useExchangeRates, useTakePayment, type Invoice, type PaymentMethod } from '../api/billing.ts';
import { compare, isDecimal, subtract } from '../lib/money.ts';
import { applied, findConversion, overpays, prefill } from '../lib/payment.ts';
import { useMoney } from './format.ts';

/**
 * Take a payment on an invoice: method, currency among the clinic's, the amount prefilled with the
 * balance converted at today's rate (shown), a reference. One submit is one payment, even when retried.
 */
export function TakePaymentModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const currencies = activeClinic?.currencies.length ? activeClinic.currencies : [invoice.currency];
  const rates = useExchangeRates();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [currency, setCurrency] = useState(invoice.currency);
  // with a coverage the patient pays their share now; the insurer's is claimed (or taken as an insurance payment)
  const insured = compare(invoice.insurerShare, '0', invoice.currency) > 0;
  const patientDue = (() => {
    if (!insured) return invoice.balance;
    const due = subtract(invoice.patientShare, invoice.paid, invoice.currency);
    if (compare(due, '0', invoice.currency) <= 0) return invoice.balance;
    return compare(due, invoice.balance, invoice.currency) < 0 ? due : invoice.balance;
  })();
  const dueFor = (m: PaymentMethod) => (m === 'insurance' ? invoice.balance : patientDue);
  const [amount, setAmount] = useState(patientDue);
  const [reference, setReference] = useState('');
  const [now] = useState(() => new Date().toISOString());
  const take = useTakePayment();

  const conversion = useMemo(
    () => (currency === invoice.currency ? null : findConversion(rates.data ?? [], currency, invoice.currency, now)),
    [rates.data, currency, invoice.currency, now],
  );
  const missingRate = currency !== invoice.currency && !rates.isPending && !conversion;
  const value = amount.trim();
  const settles = isDecimal(value) ? applied(value, currency, invoice.currency, conversion, invoice.balance) : null;
  const over = overpays(value, currency, invoice.balance, invoice.currency, conversion);
  const valid = isDecimal(value) && !value.startsWith('-') && compare(value, '0', currency) > 0 && !missingRate && !over;

  const refill = (c: string, m: PaymentMethod) => {
    const conv = c === invoice.currency ? null : findConversion(rates.data ?? [], c, invoice.currency, now);
    setAmount(prefill(dueFor(m), invoice.currency, c, conv) ?? '');
  };
  const chooseCurrency = (c: string) => {
    setCurrency(c);
    refill(c, method);
  };
  const chooseMethod = (m: PaymentMethod) => {
    setMethod(m);
    if (insured) refill(currency, m);
  };

  const submit = () => {
    if (!valid) return;
    take.mutate(
      {
        patientId: invoice.patient.id,
        invoiceId: invoice.id,
        method,
        currency,
        amount: value,
        reference: reference.trim() || null,
      },
      {
        onSuccess: (payment) => {
          notifySuccess(t('pay.done', { number: payment.receiptNumber }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('pay.title', { balance: money(invoice.balance, invoice.currency) })}
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4} id="pay-method">
              {t('pay.method')}
            </Text>
            <SegmentedControl
              aria-labelledby="pay-method"
              fullWidth
              value={method}
              onChange={(v) => chooseMethod(v as PaymentMethod)}
              data={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) }))}
            />
          </div>
          <Group grow align="flex-start">
            <Select
              label={t('pay.currency')}
              data={currencies}
              value={currency}
              onChange={(v) => v && chooseCurrency(v)}
              allowDeselect={false}
            />
            <TextInput
              label={t('pay.amount', { currency })}
              inputMode="decimal"
              data-autofocus
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={
                value && !isDecimal(value)
                  ? t('form.amountInvalid')
                  : over
                    ? t('pay.over', { balance: money(invoice.balance, invoice.currency) })
                    : undefined
              }
              data-testid="pay-amount"
            />
          </Group>
          {insured && (
            <Text size="sm" c="dimmed" data-testid="pay-shares">
              {t('pay.shares', {
                patient: money(invoice.patientShare, invoice.currency),
                insurer: money(invoice.insurerShare, invoice.currency),
              })}
            </Text>
          )}
          {currency !== invoice.currency && conversion && (
            <Alert color="blue" variant="light" data-testid="pay-rate">
              <Text size="sm">
                {t('pay.rate', {
                  from: conversion.rate.from,
                  to: conversion.rate.to,
                  rate: conversion.rate.rate,
                  date: f.dateTime(conversion.rate.effectiveAt),
                })}
              </Text>
              {settles !== null && (
                <Text size="sm" fw={600}>
                  {t('pay.settles', { amount: money(settles, invoice.currency) })}
                </Text>
              )}
            </Alert>
          )}
          {missingRate && <Alert color="orange">{t('pay.noRate', { from: currency, to: invoice.currency })}</Alert>}
          {method !== 'cash' && (
            <TextInput
              label={t('pay.reference')}
              description={t(`pay.referenceHelp.${method}`)}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              maxLength={100}
            />
          )}
          {take.error && <Alert color="red">{errorMessage(take.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={take.isPending} disabled={!valid} data-testid="pay-submit">
              {t('pay.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
