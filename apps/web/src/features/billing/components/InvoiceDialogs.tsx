import { useState } from 'react';
import { ActionIcon, Alert, Button, Group, Modal, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useCreatePlan, useInvoiceActions, useRefund, type Invoice, type Payment } from '../api/billing.ts';
import { compare, isDecimal, subtract } from '../lib/money.ts';
import { splitInstalments, unplanned, type InstalmentDraft } from '../lib/plan.ts';
import { useMoney } from './format.ts';

const isAmount = (v: string) => isDecimal(v.trim()) && !v.trim().startsWith('-');

/** What a dialog submits through: one mutation of the invoice's (or the payment's) actions. */
interface DialogMutation<V> {
  mutate: (variables: V, options: { onSuccess: () => void }) => void;
  error: unknown;
  isPending: boolean;
}

/**
 * The form every invoice dialog is: its fields, the mutation's error, cancel and submit; a submit runs the
 * mutation with the form's variables and, once it succeeded, says so and closes.
 */
function DialogForm<V>({
  title,
  onClose,
  mutation,
  variables,
  doneMessage,
  children,
  disabled,
  submitLabel,
  color,
  size,
}: {
  title: string;
  onClose: () => void;
  mutation: DialogMutation<V>;
  variables: () => V;
  doneMessage: string;
  children: React.ReactNode;
  disabled: boolean;
  submitLabel: string;
  color?: string;
  size?: string;
}) {
  const { t } = useTranslation('billing');
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} title={title} size={size}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (disabled) return;
          mutation.mutate(variables(), {
            onSuccess: () => {
              notifySuccess(doneMessage);
              onClose();
            },
          });
        }}
      >
        <Stack gap="sm">
          {children}
          {mutation.error ? <Alert color="red">{errorMessage(mutation.error, t)}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" color={color} loading={mutation.isPending} disabled={disabled}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The reason a void, a credit note or a refund must give. */
function ReasonField({
  label,
  value,
  onChange,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <Textarea
      label={label}
      required
      data-autofocus={autoFocus || undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      maxLength={500}
      autosize
      minRows={2}
    />
  );
}

/** An amount up to `max` in `currency`: the text typed, whether it is one, and whether it is too much. */
function useAmount(initial: string, max: string, currency: string) {
  const [value, setValue] = useState(initial);
  const valid = isAmount(value);
  const tooMuch = valid && compare(value.trim(), max, currency) > 0;
  return { value, setValue, ok: valid && !tooMuch, tooMuch, invalid: value !== '' && !valid };
}

function AmountField({
  label,
  amount,
  tooMuchMessage,
}: {
  label: string;
  amount: ReturnType<typeof useAmount>;
  tooMuchMessage: string;
}) {
  const { t } = useTranslation('billing');
  return (
    <TextInput
      label={label}
      required
      data-autofocus
      inputMode="decimal"
      value={amount.value}
      onChange={(e) => amount.setValue(e.currentTarget.value)}
      error={amount.tooMuch ? tooMuchMessage : amount.invalid ? t('form.amountInvalid') : undefined}
    />
  );
}

export function VoidModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const actions = useInvoiceActions(invoice.id);
  const [reason, setReason] = useState('');
  return (
    <DialogForm
      title={t('void.title', { number: invoice.number ?? '' })}
      onClose={onClose}
      mutation={actions.void}
      variables={() => ({ reason: reason.trim(), version: invoice.version })}
      doneMessage={t('void.done')}
      disabled={!reason.trim()}
      submitLabel={t('void.submit')}
      color="red"
    >
      <Text size="sm">{t('void.help')}</Text>
      <ReasonField label={t('void.reason')} value={reason} onChange={setReason} autoFocus />
    </DialogForm>
  );
}

export function CreditNoteModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const actions = useInvoiceActions(invoice.id);
  const creditable = subtract(invoice.total, invoice.credited, invoice.currency);
  const amount = useAmount('', creditable, invoice.currency);
  const [reason, setReason] = useState('');
  return (
    <DialogForm
      title={t('credit.title', { number: invoice.number ?? '' })}
      onClose={onClose}
      mutation={actions.creditNote}
      variables={() => ({ amount: amount.value.trim(), reason: reason.trim(), version: invoice.version })}
      doneMessage={t('credit.done')}
      disabled={!amount.ok || !reason.trim()}
      submitLabel={t('credit.submit')}
    >
      <Text size="sm">{t('credit.help', { amount: money(creditable, invoice.currency) })}</Text>
      <AmountField
        label={t('credit.amount', { currency: invoice.currency })}
        amount={amount}
        tooMuchMessage={t('credit.tooMuch')}
      />
      <ReasonField label={t('credit.reason')} value={reason} onChange={setReason} />
    </DialogForm>
  );
}

export function RefundModal({ invoiceId, payment, onClose }: { invoiceId: string; payment: Payment; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const refund = useRefund(invoiceId);
  const left = subtract(payment.amount, payment.refunded, payment.currency);
  const amount = useAmount(left, left, payment.currency);
  const [reason, setReason] = useState('');
  return (
    <DialogForm
      title={t('refund.title', { number: payment.receiptNumber })}
      onClose={onClose}
      mutation={refund}
      variables={() => ({ paymentId: payment.id, amount: amount.value.trim(), reason: reason.trim() })}
      doneMessage={t('refund.done')}
      disabled={!amount.ok || !reason.trim()}
      submitLabel={t('refund.submit')}
      color="orange"
    >
      <Text size="sm">{t('refund.help', { amount: money(left, payment.currency) })}</Text>
      <AmountField
        label={t('refund.amount', { currency: payment.currency })}
        amount={amount}
        tooMuchMessage={t('refund.tooMuch')}
      />
      <ReasonField label={t('refund.reason')} value={reason} onChange={setReason} />
    </DialogForm>
  );
}

export function PlanModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const create = useCreatePlan(invoice.id);
  const [count, setCount] = useState('3');
  const firstDue = dayjs().add(1, 'month').format('YYYY-MM-DD');
  const [rows, setRows] = useState<InstalmentDraft[]>(() => splitInstalments(invoice.balance, 3, invoice.currency, firstDue));
  const left = unplanned(invoice.balance, rows, invoice.currency);
  const balanced = left !== null && compare(left, '0', invoice.currency) === 0;
  const datesValid = rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.dueDate));
  const set = (i: number, patch: Partial<InstalmentDraft>) =>
    setRows((prev) => prev.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <DialogForm
      title={t('plan.title')}
      size="lg"
      onClose={onClose}
      mutation={create}
      variables={() => ({
        invoiceId: invoice.id,
        instalments: rows.map((r) => ({ dueDate: r.dueDate, amount: r.amount.trim() })),
      })}
      doneMessage={t('plan.done')}
      disabled={!balanced || !datesValid || rows.length === 0}
      submitLabel={t('plan.submit')}
    >
      <Text size="sm">{t('plan.help', { balance: money(invoice.balance, invoice.currency) })}</Text>
      <Group align="flex-end">
        <TextInput
          label={t('plan.count')}
          inputMode="numeric"
          w={120}
          value={count}
          onChange={(e) => setCount(e.currentTarget.value)}
        />
        <Button
          variant="light"
          onClick={() => {
            const n = Math.min(36, Math.max(1, Number.parseInt(count, 10) || 1));
            setRows(splitInstalments(invoice.balance, n, invoice.currency, firstDue));
          }}
        >
          {t('plan.split')}
        </Button>
      </Group>
      <Table withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('plan.dueDate')}</Table.Th>
            <Table.Th>{t('plan.amount', { currency: invoice.currency })}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  type="date"
                  aria-label={t('plan.dueDateOf', { n: i + 1 })}
                  value={r.dueDate}
                  onChange={(e) => set(i, { dueDate: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  inputMode="decimal"
                  aria-label={t('plan.amountOf', { n: i + 1 })}
                  value={r.amount}
                  onChange={(e) => set(i, { amount: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('plan.remove', { n: i + 1 })}
                  disabled={rows.length === 1}
                  onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c={balanced ? 'green' : 'red'} fw={600}>
        {left === null
          ? t('form.amountInvalid')
          : balanced
            ? t('plan.balanced')
            : t('plan.unplanned', { amount: money(left, invoice.currency) })}
      </Text>
    </DialogForm>
  );
}
