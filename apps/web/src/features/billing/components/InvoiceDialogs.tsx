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

function ModalForm({
  title,
  onClose,
  onSubmit,
  children,
  error,
  pending,
  disabled,
  submitLabel,
  color,
  size,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  children: React.ReactNode;
  error: unknown;
  pending: boolean;
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
          if (!disabled) onSubmit();
        }}
      >
        <Stack gap="sm">
          {children}
          {error ? <Alert color="red">{errorMessage(error, t)}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" color={color} loading={pending} disabled={disabled}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function VoidModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const actions = useInvoiceActions(invoice.id);
  const [reason, setReason] = useState('');
  return (
    <ModalForm
      title={t('void.title', { number: invoice.number ?? '' })}
      onClose={onClose}
      onSubmit={() =>
        actions.void.mutate(
          { reason: reason.trim(), version: invoice.version },
          {
            onSuccess: () => {
              notifySuccess(t('void.done'));
              onClose();
            },
          },
        )
      }
      error={actions.void.error}
      pending={actions.void.isPending}
      disabled={!reason.trim()}
      submitLabel={t('void.submit')}
      color="red"
    >
      <Text size="sm">{t('void.help')}</Text>
      <Textarea
        label={t('void.reason')}
        required
        data-autofocus
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={500}
        autosize
        minRows={2}
      />
    </ModalForm>
  );
}

export function CreditNoteModal({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const actions = useInvoiceActions(invoice.id);
  const creditable = subtract(invoice.total, invoice.credited, invoice.currency);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const tooMuch = isAmount(amount) && compare(amount.trim(), creditable, invoice.currency) > 0;
  return (
    <ModalForm
      title={t('credit.title', { number: invoice.number ?? '' })}
      onClose={onClose}
      onSubmit={() =>
        actions.creditNote.mutate(
          { amount: amount.trim(), reason: reason.trim(), version: invoice.version },
          {
            onSuccess: () => {
              notifySuccess(t('credit.done'));
              onClose();
            },
          },
        )
      }
      error={actions.creditNote.error}
      pending={actions.creditNote.isPending}
      disabled={!isAmount(amount) || tooMuch || !reason.trim()}
      submitLabel={t('credit.submit')}
    >
      <Text size="sm">{t('credit.help', { amount: money(creditable, invoice.currency) })}</Text>
      <TextInput
        label={t('credit.amount', { currency: invoice.currency })}
        required
        data-autofocus
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.currentTarget.value)}
        error={tooMuch ? t('credit.tooMuch') : amount && !isAmount(amount) ? t('form.amountInvalid') : undefined}
      />
      <Textarea
        label={t('credit.reason')}
        required
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={500}
        autosize
        minRows={2}
      />
    </ModalForm>
  );
}

export function RefundModal({ invoiceId, payment, onClose }: { invoiceId: string; payment: Payment; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const refund = useRefund(invoiceId);
  const left = subtract(payment.amount, payment.refunded, payment.currency);
  const [amount, setAmount] = useState(left);
  const [reason, setReason] = useState('');
  const tooMuch = isAmount(amount) && compare(amount.trim(), left, payment.currency) > 0;
  return (
    <ModalForm
      title={t('refund.title', { number: payment.receiptNumber })}
      onClose={onClose}
      onSubmit={() =>
        refund.mutate(
          { paymentId: payment.id, amount: amount.trim(), reason: reason.trim() },
          {
            onSuccess: () => {
              notifySuccess(t('refund.done'));
              onClose();
            },
          },
        )
      }
      error={refund.error}
      pending={refund.isPending}
      disabled={!isAmount(amount) || tooMuch || !reason.trim()}
      submitLabel={t('refund.submit')}
      color="orange"
    >
      <Text size="sm">{t('refund.help', { amount: money(left, payment.currency) })}</Text>
      <TextInput
        label={t('refund.amount', { currency: payment.currency })}
        required
        data-autofocus
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.currentTarget.value)}
        error={tooMuch ? t('refund.tooMuch') : amount && !isAmount(amount) ? t('form.amountInvalid') : undefined}
      />
      <Textarea
        label={t('refund.reason')}
        required
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={500}
        autosize
        minRows={2}
      />
    </ModalForm>
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
    <ModalForm
      title={t('plan.title')}
      size="lg"
      onClose={onClose}
      onSubmit={() =>
        create.mutate(
          { invoiceId: invoice.id, instalments: rows.map((r) => ({ dueDate: r.dueDate, amount: r.amount.trim() })) },
          {
            onSuccess: () => {
              notifySuccess(t('plan.done'));
              onClose();
            },
          },
        )
      }
      error={create.error}
      pending={create.isPending}
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
    </ModalForm>
  );
}
