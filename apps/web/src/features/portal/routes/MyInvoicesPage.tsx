import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileInvoice } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { minorUnits } from '@sanita/contracts/billing';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import { useMyInvoice, useMyInvoices, useOpenReceipt, type InvoiceStatus } from '../api/invoices.ts';

const STATUS_COLORS: Record<InvoiceStatus, string> = {
  draft: 'gray',
  issued: 'orange',
  partially_paid: 'orange',
  paid: 'green',
  void: 'gray',
};

/** Decimal text as the reader writes it, with its currency ("1 250,50 USD"); the digits stay exact. */
function useMoney() {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return (text: string, currency: string) => {
    const digits = minorUnits(currency);
    const negative = text.startsWith('-');
    const [int = '0', frac = ''] = text.replace('-', '').split('.');
    const grouped = new Intl.NumberFormat(language).format(BigInt(int));
    const sep = new Intl.NumberFormat(language).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    const body = digits > 0 ? `${grouped}${sep}${frac.padEnd(digits, '0').slice(0, digits)}` : grouped;
    return `${negative ? '−' : ''}${body} ${currency}`;
  };
}

/** The portal's "My invoices": each issued invoice with its total, what is paid and left; its lines, payments and receipts. */
export function MyInvoicesPage() {
  const { t } = useTranslation('portal');
  const list = useMyInvoices();
  return (
    <>
      <PageHeader title={t('myInvoices.title')} description={t('myInvoices.subtitle')} />
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Stack aria-busy>
          <Skeleton h={100} radius="md" />
          <Skeleton h={100} radius="md" />
        </Stack>
      ) : list.data.length === 0 ? (
        <EmptyState icon={<IconFileInvoice size={22} />} title={t('myInvoices.emptyTitle')} description={t('myInvoices.empty')} />
      ) : (
        <Stack gap="sm" data-testid="portal-invoices">
          {list.data.map((inv) => (
            <InvoiceCard key={inv.id} invoice={inv} />
          ))}
        </Stack>
      )}
    </>
  );
}

function InvoiceCard({
  invoice: i,
}: {
  invoice: {
    id: string;
    number: string;
    clinic: string;
    status: InvoiceStatus;
    currency: string;
    total: string;
    paid: string;
    balance: string;
    issuedAt: string | null;
    dueDate: string | null;
  };
}) {
  const { t } = useTranslation('portal');
  const f = useFormatters();
  const money = useMoney();
  const [open, setOpen] = useState(false);
  const titleId = `invoice-${i.id}`;
  return (
    <Paper component="article" withBorder p="sm" radius="md" aria-labelledby={titleId} data-testid="portal-invoice">
      <Stack gap={8}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Group gap="xs">
              <Title order={2} size="h4" id={titleId}>
                {t('myInvoices.caption', { number: i.number })}
              </Title>
              <Badge color={STATUS_COLORS[i.status]} variant="light">
                {t(`myInvoices.status.${i.status}`)}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('myInvoices.issued', { date: f.date(i.issuedAt), clinic: i.clinic })}
              {i.dueDate &&
                i.status !== 'paid' &&
                i.status !== 'void' &&
                ` · ${t('myInvoices.due', { date: f.date(i.dueDate) })}`}
            </Text>
          </div>
          <Button
            size="xs"
            variant="light"
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls={`${titleId}-details`}
          >
            {open ? t('myInvoices.hide') : t('myInvoices.show')}
          </Button>
        </Group>
        <SimpleGrid cols={3} spacing="xs">
          <Figure label={t('myInvoices.total')} value={money(i.total, i.currency)} />
          <Figure label={t('myInvoices.paid')} value={money(i.paid, i.currency)} />
          <Figure label={t('myInvoices.balance')} value={money(i.balance, i.currency)} strong />
        </SimpleGrid>
        {open && (
          <div id={`${titleId}-details`}>
            <InvoiceDetails id={i.id} />
          </div>
        )}
      </Stack>
    </Paper>
  );
}

function Figure({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong ? 700 : 500}>{value}</Text>
    </Stack>
  );
}

function InvoiceDetails({ id }: { id: string }) {
  const { t, i18n } = useTranslation('portal');
  const f = useFormatters();
  const money = useMoney();
  const detail = useMyInvoice(id);
  const openReceipt = useOpenReceipt();
  const fr = i18n.resolvedLanguage?.startsWith('fr');
  if (detail.error) return <QueryError error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.isPending) return <Skeleton h={80} />;
  const { invoice, payments } = detail.data;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('myInvoices.lines')}
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing={4} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('myInvoices.service')}</Table.Th>
              <Table.Th>{t('myInvoices.date')}</Table.Th>
              <Table.Th ta="right">{t('myInvoices.quantity')}</Table.Th>
              <Table.Th ta="right">{t('myInvoices.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoice.lines.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{(fr && l.descriptionFr) || l.description}</Table.Td>
                <Table.Td>{f.date(l.serviceDate)}</Table.Td>
                <Table.Td ta="right">{l.quantity}</Table.Td>
                <Table.Td ta="right">{money(l.total, invoice.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Title order={3} size="h5">
        {t('myInvoices.payments')}
      </Title>
      {payments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('myInvoices.noPayment')}
        </Text>
      ) : (
        <Stack gap={4}>
          {payments.map((p) => (
            <Group key={p.id} justify="space-between" wrap="wrap" gap="xs">
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => void openReceipt(p.id).catch((err: unknown) => notifyError(err, t))}
              >
                {t('myInvoices.receipt', { number: p.receiptNumber })}
              </Anchor>
              <Text size="sm" c="dimmed">
                {t('myInvoices.paidOn', { date: f.dateTime(p.receivedAt), method: t(`myInvoices.methods.${p.method}`) })}
              </Text>
              <Text size="sm" fw={600}>
                {money(p.amount, p.currency)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
