import { useMemo, useRef, useState } from 'react';
import { Anchor, Badge, Group, Kbd, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconReceipt, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useDeskInvoices, type InvoiceSummary } from '../api/billing.ts';
import { useMoney } from '../components/format.ts';
import { RecentSessions, SessionBar } from '../components/SessionBar.tsx';
import { InvoiceStatusBadge } from '../components/StatusBadge.tsx';

/**
 * The cashier's desk: the invoices to collect (drafts captured from consultations, lab orders and
 * dispenses, and issued invoices with a balance), live; search by MRN, name or number; the session bar.
 */
export function DeskPage() {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(() => params.get('q') ?? '');
  const [debounced] = useDebouncedValue(q, 250);
  const search = useRef<HTMLInputElement>(null);
  const invoices = useDeskInvoices(debounced);
  useHotkeys([['/', () => search.current?.focus()]]);

  const columns = useMemo<ColumnDef<InvoiceSummary>[]>(
    () => [
      {
        id: 'number',
        header: t('desk.number'),
        cell: ({ row: { original: i } }) => (
          <Anchor component={Link} to={`/billing/invoices/${i.id}`} size="sm" fw={600}>
            {i.number ?? t('invoice.draftNumber')}
          </Anchor>
        ),
      },
      {
        id: 'patient',
        header: t('desk.patient'),
        cell: ({ row: { original: i } }) => (
          <Stack gap={0}>
            <Text size="sm">{i.patient.name}</Text>
            <Text size="xs" c="dimmed">
              {i.patient.mrn}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'status',
        header: t('desk.status'),
        cell: ({ row: { original: i } }) => (
          <Group gap={4} wrap="nowrap">
            <InvoiceStatusBadge status={i.status} />
            {i.unpriced > 0 && (
              <Badge color="red" variant="outline" size="sm">
                {t('invoice.unpricedCount', { count: i.unpriced })}
              </Badge>
            )}
          </Group>
        ),
      },
      {
        id: 'date',
        header: t('desk.date'),
        cell: ({ row: { original: i } }) => <Text size="sm">{f.dateTime(i.issuedAt ?? i.createdAt)}</Text>,
      },
      {
        id: 'total',
        header: t('desk.total'),
        meta: { align: 'right' },
        cell: ({ row: { original: i } }) => <Text size="sm">{money(i.total, i.currency)}</Text>,
      },
      {
        id: 'paid',
        header: t('desk.paid'),
        meta: { align: 'right' },
        cell: ({ row: { original: i } }) => <Text size="sm">{money(i.paid, i.currency)}</Text>,
      },
      {
        id: 'balance',
        header: t('desk.balance'),
        meta: { align: 'right' },
        cell: ({ row: { original: i } }) => (
          <Text size="sm" fw={700}>
            {money(i.balance, i.currency)}
          </Text>
        ),
      },
    ],
    [t, f, money],
  );

  return (
    <>
      <PageHeader title={t('desk.title')} description={t('desk.subtitle', { clinic: activeClinic?.name ?? '' })} />
      <SessionBar />
      <RecentSessions />
      <TextInput
        ref={search}
        mb="sm"
        leftSection={<IconSearch size={16} />}
        rightSection={<Kbd size="xs">/</Kbd>}
        aria-label={t('desk.search')}
        placeholder={t('desk.search')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => {
          const only = invoices.data?.length === 1 ? invoices.data[0] : undefined;
          if (e.key === 'Enter' && only) void navigate(`/billing/invoices/${only.id}`);
        }}
        data-testid="desk-search"
      />
      {invoices.error ? (
        <QueryError error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : (
        <DataTable
          caption={t('desk.caption')}
          columns={columns}
          data={invoices.data ?? []}
          getRowId={(i) => i.id}
          loading={invoices.isPending}
          onRowClick={(i) => void navigate(`/billing/invoices/${i.id}`)}
          testId="desk-invoices"
          minWidth={760}
          empty={
            <EmptyState
              icon={<IconReceipt size={22} />}
              title={debounced.trim() ? t('desk.noMatchTitle') : t('desk.emptyTitle')}
              description={debounced.trim() ? t('desk.noMatch') : t('desk.empty')}
            />
          }
        />
      )}
    </>
  );
}
