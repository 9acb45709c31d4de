import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowBackUp,
  IconCalendarDollar,
  IconCash,
  IconChevronLeft,
  IconFileInvoice,
  IconShieldCheck,
  IconReceiptRefund,
  IconSend,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  invoicePdfUrl,
  receiptPdfUrl,
  useInvoice,
  useInvoiceActions,
  useInvoicePayments,
  useInvoicePlans,
  useOpenPdf,
  usePatientCoverages,
  type Invoice,
  type InvoiceLine,
  type Payment,
} from '../api/billing.ts';
import { AddLineForm } from '../components/AddLineForm.tsx';
import { DiscountPanel } from '../components/DiscountPanel.tsx';
import { useMoney } from '../components/format.ts';
import { CreditNoteModal, PlanModal, RefundModal, VoidModal } from '../components/InvoiceDialogs.tsx';
import { InvoiceStatusBadge } from '../components/StatusBadge.tsx';
import { TakePaymentModal } from '../components/TakePaymentModal.tsx';
import { claimable } from '../lib/claim.ts';
import { compare, isDecimal, isZero } from '../lib/money.ts';

type Dialog = 'pay' | 'void' | 'credit' | 'plan' | null;

/** One invoice: the patient, its lines (pricing what was captured without a price), discounts, payments, and each step. */
export function InvoicePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('billing');
  const invoice = useInvoice(id);
  return (
    <>
      {invoice.error ? (
        <QueryError error={invoice.error} onRetry={() => void invoice.refetch()} />
      ) : invoice.isPending ? (
        <Stack aria-busy aria-label={t('invoice.loading')}>
          <Skeleton h={60} />
          <Skeleton h={240} />
        </Stack>
      ) : (
        <InvoiceView invoice={invoice.data} />
      )}
    </>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const openPdf = useOpenPdf();
  const actions = useInvoiceActions(invoice.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const payments = useInvoicePayments(invoice.id, can('payments:read') || can('payments:collect'));
  const plans = useInvoicePlans(invoice.id, can('payments:read') || can('payments:collect'));
  const draft = invoice.status === 'draft';
  const mayClaim = can('claims:write') && can('coverage:read');
  const coverages = usePatientCoverages(invoice.patient.id, mayClaim && !draft && invoice.status !== 'void');
  const payable = invoice.status === 'issued' || invoice.status === 'partially_paid';
  const hasBalance = !isZero(invoice.balance, invoice.currency) && compare(invoice.balance, '0', invoice.currency) > 0;
  const nothingPaid = isZero(invoice.paid, invoice.currency);
  const pdf = (url: string) => openPdf(url).catch((err: unknown) => notifyError(err, t));

  const issue = () =>
    actions.issue.mutate(invoice.version, {
      onSuccess: (inv) => notifySuccess(t('invoice.issued', { number: inv.number ?? '' })),
    });

  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/billing" size="sm">
            <Group gap={4}>
              <IconChevronLeft size={14} />
              {t('desk.title')}
            </Group>
          </Anchor>
        }
        title={
          <Group gap="sm">
            {invoice.number ? t('invoice.title', { number: invoice.number }) : t('invoice.draftTitle')}
            <InvoiceStatusBadge status={invoice.status} />
          </Group>
        }
        description={
          <>
            <Anchor component={Link} to={`/patients/${invoice.patient.id}`} underline="always">
              {invoice.patient.name}
            </Anchor>{' '}
            · {invoice.patient.mrn} · {t('invoice.created', { date: f.dateTime(invoice.createdAt) })}
            {invoice.dueDate && ` · ${t('invoice.due', { date: f.date(invoice.dueDate) })}`}
          </>
        }
        actions={
          <>
            {draft && can('billing:write') && (
              <Tooltip label={t('invoice.unpricedBlock')} disabled={invoice.unpriced === 0}>
                <Button
                  leftSection={<IconSend size={16} />}
                  onClick={issue}
                  loading={actions.issue.isPending}
                  disabled={invoice.unpriced > 0 || invoice.lines.length === 0}
                  data-testid="issue"
                >
                  {t('invoice.issue')}
                </Button>
              </Tooltip>
            )}
            {payable && hasBalance && can('payments:collect') && (
              <Button leftSection={<IconCash size={16} />} onClick={() => setDialog('pay')} data-testid="take-payment">
                {t('pay.action')}
              </Button>
            )}
            {!draft && (
              <Button
                variant="default"
                leftSection={<IconFileInvoice size={16} />}
                onClick={() => void pdf(invoicePdfUrl(invoice.id))}
              >
                {t('invoice.pdf')}
              </Button>
            )}
            {mayClaim && coverages.data && claimable(invoice, coverages.data) && (
              <Button
                component={Link}
                to={`/claims/new?invoice=${encodeURIComponent(invoice.id)}`}
                variant="default"
                leftSection={<IconShieldCheck size={16} />}
                data-testid="create-claim"
              >
                {t('invoice.createClaim')}
              </Button>
            )}
            {payable && hasBalance && can('payments:collect') && (
              <Button variant="default" leftSection={<IconCalendarDollar size={16} />} onClick={() => setDialog('plan')}>
                {t('plan.action')}
              </Button>
            )}
            {(invoice.status === 'issued' || invoice.status === 'partially_paid' || invoice.status === 'paid') &&
              can('billing:void') && (
                <Button variant="default" leftSection={<IconReceiptRefund size={16} />} onClick={() => setDialog('credit')}>
                  {t('credit.action')}
                </Button>
              )}
            {invoice.status === 'issued' && nothingPaid && can('billing:void') && (
              <Button variant="light" color="red" leftSection={<IconX size={16} />} onClick={() => setDialog('void')}>
                {t('void.action')}
              </Button>
            )}
          </>
        }
      />
      {actions.issue.error && (
        <Alert color="red" mb="sm">
          {errorMessage(actions.issue.error, t)}
        </Alert>
      )}
      {invoice.status === 'void' && (
        <Alert color="red" mb="sm" title={t('void.voided', { date: f.dateTime(invoice.voidedAt) })}>
          {invoice.voidReason}
        </Alert>
      )}
      {invoice.unpriced > 0 && (
        <Alert color="orange" mb="sm" data-testid="unpriced-alert">
          {t('invoice.unpricedHelp', { count: invoice.unpriced })}
        </Alert>
      )}

      <Totals invoice={invoice} />

      <Paper withBorder p="sm" radius="md" mt="sm">
        <Title order={2} size="h4" mb="xs">
          {t('lines.title')}
        </Title>
        <LinesTable invoice={invoice} />
        {draft && can('billing:write') && (
          <Stack mt="sm">
            <AddLineForm invoice={invoice} />
          </Stack>
        )}
      </Paper>

      {(invoice.discounts.length > 0 || (draft && can('billing:write'))) && (
        <Paper withBorder p="sm" radius="md" mt="sm">
          <Title order={2} size="h4" mb="xs">
            {t('discount.title')}
          </Title>
          <DiscountPanel invoice={invoice} editable={draft && can('billing:write')} />
        </Paper>
      )}

      {(can('payments:read') || can('payments:collect')) && !draft && (
        <Paper withBorder p="sm" radius="md" mt="sm">
          <Title order={2} size="h4" mb="xs">
            {t('payments.title')}
          </Title>
          {payments.error ? (
            <QueryError error={payments.error} onRetry={() => void payments.refetch()} />
          ) : (
            <PaymentsTable invoiceId={invoice.id} payments={payments.data ?? []} loading={payments.isPending} onReceipt={pdf} />
          )}
        </Paper>
      )}

      {invoice.creditNotes.length > 0 && (
        <Paper withBorder p="sm" radius="md" mt="sm">
          <Title order={2} size="h4" mb="xs">
            {t('credit.title2')}
          </Title>
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {invoice.creditNotes.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td fw={600}>{c.number}</Table.Td>
                  <Table.Td>{f.dateTime(c.createdAt)}</Table.Td>
                  <Table.Td>{c.reason}</Table.Td>
                  <Table.Td>{c.createdBy.name}</Table.Td>
                  <Table.Td ta="right">{money(c.amount, invoice.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      {(plans.data?.length ?? 0) > 0 && (
        <Paper withBorder p="sm" radius="md" mt="sm">
          <Title order={2} size="h4" mb="xs">
            {t('plan.title2')}
          </Title>
          {plans.data!.map((plan) => (
            <Table key={plan.id} verticalSpacing={4} mb="xs" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('plan.dueDate')}</Table.Th>
                  <Table.Th ta="right">{t('plan.amount', { currency: plan.currency })}</Table.Th>
                  <Table.Th ta="right">{t('desk.paid')}</Table.Th>
                  <Table.Th>{t('desk.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plan.instalments.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>{f.date(i.dueDate)}</Table.Td>
                    <Table.Td ta="right">{money(i.amount, plan.currency)}</Table.Td>
                    <Table.Td ta="right">{money(i.paid, plan.currency)}</Table.Td>
                    <Table.Td>
                      <Badge
                        size="sm"
                        variant="light"
                        color={i.status === 'paid' ? 'green' : i.status === 'overdue' ? 'red' : 'gray'}
                      >
                        {t(`plan.status.${i.status}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ))}
        </Paper>
      )}

      {dialog === 'pay' && <TakePaymentModal invoice={invoice} onClose={() => setDialog(null)} />}
      {dialog === 'void' && <VoidModal invoice={invoice} onClose={() => setDialog(null)} />}
      {dialog === 'credit' && <CreditNoteModal invoice={invoice} onClose={() => setDialog(null)} />}
      {dialog === 'plan' && <PlanModal invoice={invoice} onClose={() => setDialog(null)} />}
    </>
  );
}

function Totals({ invoice: i }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const cells: [string, string, boolean?][] = [
    [t('totals.subtotal'), i.subtotal],
    [t('totals.discount'), i.discountTotal],
    [t('totals.tax'), i.taxTotal],
    [t('totals.total'), i.total, true],
    [t('totals.paid'), i.paid],
    [t('totals.credited'), i.credited],
    [t('totals.balance'), i.balance, true],
  ];
  const insured = !isZero(i.insurerShare, i.currency);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="invoice-totals">
      <SimpleGrid cols={{ base: 2, sm: 4, md: insured ? 9 : 7 }} spacing="xs">
        {cells.map(([label, value, strong]) => (
          <Stack gap={0} key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text fw={strong ? 700 : 500} size={strong ? 'lg' : 'sm'}>
              {money(value, i.currency)}
            </Text>
          </Stack>
        ))}
        {insured && (
          <>
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t('totals.insurer')}
              </Text>
              <Text size="sm">{money(i.insurerShare, i.currency)}</Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t('totals.patient')}
              </Text>
              <Text size="sm">{money(i.patientShare, i.currency)}</Text>
            </Stack>
          </>
        )}
      </SimpleGrid>
    </Paper>
  );
}

function LinesTable({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation('billing');
  const { can } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const fr = i18n.resolvedLanguage?.startsWith('fr');
  const actions = useInvoiceActions(invoice.id);
  const editable = invoice.status === 'draft' && can('billing:write');
  if (invoice.lines.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('lines.empty')}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={820}>
        <Table striped highlightOnHover verticalSpacing={4} data-testid="invoice-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lines.description')}</Table.Th>
              <Table.Th>{t('lines.source')}</Table.Th>
              <Table.Th>{t('lines.serviceDate')}</Table.Th>
              <Table.Th ta="right">{t('lines.quantity')}</Table.Th>
              <Table.Th ta="right">{t('lines.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('lines.tax')}</Table.Th>
              <Table.Th ta="right">{t('lines.total')}</Table.Th>
              {editable && <Table.Th w={40} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoice.lines.map((line) => (
              <Table.Tr key={line.id} bg={line.unitPrice === null ? 'var(--mantine-color-orange-light)' : undefined}>
                <Table.Td>
                  <Text size="sm">{(fr && line.descriptionFr) || line.description}</Text>
                  <Text size="xs" c="dimmed">
                    {line.code}
                    {line.practitioner && ` · ${line.practitioner.name}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="outline" color="gray">
                    {t(`sources.${line.source}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{f.date(line.serviceDate)}</Table.Td>
                <Table.Td ta="right">{line.quantity}</Table.Td>
                <Table.Td ta="right">
                  {line.unitPrice !== null ? (
                    money(line.unitPrice, invoice.currency)
                  ) : editable ? (
                    <PriceInput invoice={invoice} line={line} />
                  ) : (
                    <Badge color="orange">{t('lines.unpriced')}</Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money(line.tax, invoice.currency)}</Text>
                  {!isZero(line.taxRate, 'XXX') && (
                    <Text size="xs" c="dimmed">
                      {line.taxRate} %
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" fw={600}>
                    {money(line.total, invoice.currency)}
                  </Text>
                  {!isZero(line.discount, invoice.currency) && (
                    <Text size="xs" c="dimmed">
                      {t('lines.discounted', { amount: money(line.discount, invoice.currency) })}
                    </Text>
                  )}
                </Table.Td>
                {editable && (
                  <Table.Td>
                    {line.source === 'manual' && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('lines.remove', { name: line.description })}
                        loading={actions.removeLine.isPending && actions.removeLine.variables?.lineId === line.id}
                        onClick={() => actions.removeLine.mutate({ lineId: line.id, version: invoice.version })}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {(actions.removeLine.error ?? actions.priceLine.error) && (
        <Alert color="red" mt="xs">
          {errorMessage(actions.removeLine.error ?? actions.priceLine.error, t)}
        </Alert>
      )}
    </>
  );
}

function PriceInput({ invoice, line }: { invoice: Invoice; line: InvoiceLine }) {
  const { t } = useTranslation('billing');
  const actions = useInvoiceActions(invoice.id);
  const [value, setValue] = useState('');
  const v = value.trim();
  const valid = isDecimal(v) && !v.startsWith('-');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) actions.priceLine.mutate({ lineId: line.id, unitPrice: v, version: invoice.version });
      }}
    >
      <Group gap={4} wrap="nowrap" justify="flex-end">
        <TextInput
          size="xs"
          w={110}
          inputMode="decimal"
          placeholder={invoice.currency}
          aria-label={t('lines.priceFor', { name: line.description })}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={v && !valid}
          data-testid="line-price"
        />
        <Button size="compact-xs" type="submit" disabled={!valid} loading={actions.priceLine.isPending}>
          {t('lines.price')}
        </Button>
      </Group>
    </form>
  );
}

function PaymentsTable({
  invoiceId,
  payments,
  loading,
  onReceipt,
}: {
  invoiceId: string;
  payments: Payment[];
  loading: boolean;
  onReceipt: (url: string) => Promise<void>;
}) {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const [refunding, setRefunding] = useState<Payment | null>(null);
  if (loading) return <Skeleton h={60} />;
  if (payments.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('payments.empty')}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing={4} striped data-testid="invoice-payments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('payments.receipt')}</Table.Th>
              <Table.Th>{t('payments.date')}</Table.Th>
              <Table.Th>{t('payments.method')}</Table.Th>
              <Table.Th ta="right">{t('payments.tendered')}</Table.Th>
              <Table.Th ta="right">{t('payments.applied')}</Table.Th>
              <Table.Th>{t('payments.reference')}</Table.Th>
              <Table.Th ta="right">{t('payments.refunded')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payments.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    fw={600}
                    onClick={() => void onReceipt(receiptPdfUrl(p.id))}
                    aria-label={t('payments.openReceipt', { number: p.receiptNumber })}
                  >
                    {p.receiptNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{f.dateTime(p.receivedAt)}</Text>
                  <Text size="xs" c="dimmed">
                    {p.receivedBy.name}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`methods.${p.method}`)}</Table.Td>
                <Table.Td ta="right">{money(p.amount, p.currency)}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money(p.appliedAmount, p.appliedCurrency)}</Text>
                  {p.rate && (
                    <Text size="xs" c="dimmed">
                      {t('payments.atRate', { rate: p.rate })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{p.reference ?? '—'}</Table.Td>
                <Table.Td ta="right">{isZero(p.refunded, p.currency) ? '—' : money(p.refunded, p.currency)}</Table.Td>
                <Table.Td>
                  {can('payments:refund') && compare(p.refunded, p.amount, p.currency) < 0 && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="orange"
                      leftSection={<IconArrowBackUp size={12} />}
                      onClick={() => setRefunding(p)}
                    >
                      {t('refund.action')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {refunding && <RefundModal invoiceId={invoiceId} payment={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}
