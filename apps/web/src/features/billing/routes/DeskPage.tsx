import { useEffect, useMemo, useRef, useState } from 'react';
import { Anchor, Badge, Group, Kbd, Pagination, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconReceipt, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useSearchParamsUpdater } from '../../../lib/searchParams.ts';
import { DESK_PAGE_SIZE, DESK_VIEWS, useDeskInvoices, type DeskView, type InvoiceSummary } from '../api/billing.ts';
import { useMoney } from '../components/format.ts';
import { RecentSessions, SessionBar } from '../components/SessionBar.tsx';
import { InvoiceStatusBadge } from '../components/StatusBadge.tsx';

const isView = (v: string | null): v is DeskView => DESK_VIEWS.some((x) => x === v);

/**
 * The cashier's desk, live: today's invoices (drafts captured from consultations, lab orders and dispenses,
 * issued and paid ones) by default, the outstanding ones of any day, or all, a page at a time; search by
 * MRN, name or number within the view; the session bar. The view and page stay in the URL, so coming back
 * from an invoice returns to them.
 */
export function DeskPage() {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const navigate = useNavigate();
  const [params, updateParams] = useSearchParamsUpdater();
  const viewParam = params.get('view');
  const view: DeskView = isView(viewParam) ? viewParam : 'today';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [q, setQ] = useState(() => params.get('q') ?? '');
  const [debounced] = useDebouncedValue(q, 250);
  const search = useRef<HTMLInputElement>(null);
  const today = f.isoDay(new Date().toISOString());
  const invoices = useDeskInvoices(view, debounced, page, today);
  const rows = invoices.data?.data ?? [];
  const total = invoices.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / DESK_PAGE_SIZE));
  const setQuery = (next: { view?: DeskView; page?: number }) =>
    updateParams((out) => {
      if (next.view) out.set('view', next.view);
      if (next.page !== undefined) {
        if (next.page > 1) out.set('page', String(next.page));
        else out.delete('page');
      }
    });
  useHotkeys([['/', () => search.current?.focus()]]);
  // A page that no longer exists (invoices paid or voided meanwhile): go to the last one.
  const pastTheEnd = !invoices.isPlaceholderData && total > 0 && rows.length === 0 && page > 1;
  useEffect(() => {
    if (pastTheEnd) setQuery({ page: pages });
  });

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
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label={t('desk.view')}
          value={view}
          onChange={(v) => setQuery({ view: v as DeskView, page: 1 })}
          data={DESK_VIEWS.map((v) => ({ value: v, label: t(`desk.views.${v}`) }))}
          data-testid="desk-view"
        />
        <TextInput
          ref={search}
          style={{ flex: 1, minWidth: 240 }}
          leftSection={<IconSearch size={16} />}
          rightSection={<Kbd size="xs">/</Kbd>}
          aria-label={t('desk.search')}
          placeholder={t('desk.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            // a new search starts from the first page
            if (page !== 1) setQuery({ page: 1 });
          }}
          onKeyDown={(e) => {
            const only = rows.length === 1 ? rows[0] : undefined;
            if (e.key === 'Enter' && only) void navigate(`/billing/invoices/${only.id}`);
          }}
          data-testid="desk-search"
        />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {t(`desk.viewHelp.${view}`)}
      </Text>
      {invoices.error ? (
        <QueryError error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t(`desk.captions.${view}`)}
            columns={columns}
            data={rows}
            getRowId={(i) => i.id}
            loading={invoices.isPending}
            onRowClick={(i) => void navigate(`/billing/invoices/${i.id}`)}
            testId="desk-invoices"
            minWidth={760}
            empty={
              <EmptyState
                icon={<IconReceipt size={22} />}
                title={debounced.trim() ? t('desk.noMatchTitle') : t(`desk.empty.${view}.title`)}
                description={debounced.trim() ? t(`desk.noMatch.${view}`) : t(`desk.empty.${view}.text`)}
              />
            }
          />
          {total > 0 && (
            <Group justify="space-between" mt="sm" wrap="wrap">
              <Text size="sm" c="dimmed" data-testid="desk-range">
                {t('desk.range', {
                  from: f.number((page - 1) * DESK_PAGE_SIZE + 1),
                  to: f.number(Math.min(page * DESK_PAGE_SIZE, total)),
                  total: f.number(total),
                })}
              </Text>
              {pages > 1 && (
                <nav aria-label={t('desk.pages')}>
                  <Pagination
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={(p) => setQuery({ page: p })}
                    size="sm"
                    getControlProps={(control) => ({ 'aria-label': t(`desk.pageControls.${control}`) })}
                    getItemProps={(p) => ({ 'aria-label': t('desk.pageN', { page: p }) })}
                  />
                </nav>
              )}
            </Group>
          )}
        </>
      )}
    </>
  );
}
