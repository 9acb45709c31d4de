import { useMemo, useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBox, IconDownload, IconPlus, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import {
  EXPIRY_WINDOWS,
  ITEM_KINDS,
  useDownloadValuation,
  useExpiryAlerts,
  useItems,
  useLowStock,
  useStock,
  useValuation,
  type ExpiryAlert,
  type Item,
  type ItemKind,
  type StockRow,
} from '../api/inventory.ts';
import { ItemFormModal } from './ItemFormModal.tsx';

/** "Paracetamol 500 mg tablet" → the item's page. */
const itemLink = (id: string, name: string) => (
  <Anchor component={Link} to={`/inventory/items/${id}`} size="sm" fw={600}>
    {name}
  </Anchor>
);

function KindFilter({ value, onChange }: { value: ItemKind | null; onChange: (k: ItemKind | null) => void }) {
  const { t } = useTranslation('inventory');
  return (
    <Select
      aria-label={t('filters.kind')}
      placeholder={t('filters.allKinds')}
      data={ITEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
      value={value}
      onChange={(v) => onChange((v as ItemKind | null) ?? null)}
      clearable
      w={200}
    />
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation('inventory');
  return (
    <TextInput
      leftSection={<IconSearch size={16} aria-hidden />}
      aria-label={t('filters.search')}
      placeholder={t('filters.searchPlaceholder')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={260}
    />
  );
}

/** The clinic's stock per item, filtered by kind and name, with the low-stock flag. */
export function StockPanel() {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const [kind, setKind] = useState<ItemKind | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [lowOnly, setLowOnly] = useState(false);
  const [all, setAll] = useState(false);
  const stock = useStock({
    ...(kind ? { kind } : {}),
    ...(q.trim() ? { q: q.trim() } : {}),
    ...(lowOnly ? { lowOnly } : {}),
    ...(all ? { all } : {}),
  });
  // the clinic's day 30 days from now: a lot expiring by then is flagged (the Alerts tab lists them)
  const expirySoon = f.isoDay(new Date(Date.now() + 30 * 86_400_000).toISOString());
  const columns = useMemo<ColumnDef<StockRow>[]>(
    () => [
      { id: 'name', header: t('stock.item'), cell: ({ row }) => itemLink(row.original.itemId, row.original.name) },
      { id: 'kind', header: t('stock.kind'), cell: ({ row }) => t(`kinds.${row.original.kind}`) },
      { id: 'unit', header: t('stock.unit'), cell: ({ row }) => row.original.unit },
      { id: 'onHand', header: t('stock.onHand'), meta: { align: 'right' }, cell: ({ row }) => f.number(row.original.onHand) },
      {
        id: 'reserved',
        header: t('stock.reserved'),
        meta: { align: 'right' },
        cell: ({ row }) => f.number(row.original.reserved),
      },
      {
        id: 'available',
        header: t('stock.available'),
        meta: { align: 'right' },
        cell: ({ row }) => (
          <Text fw={700} size="sm">
            {f.number(row.original.available)}
          </Text>
        ),
      },
      { id: 'expiry', header: t('stock.earliestExpiry'), cell: ({ row }) => f.date(row.original.earliestExpiry) },
      {
        id: 'flags',
        header: t('stock.status'),
        meta: { width: 170 },
        cell: ({ row }) => (
          <Group gap={4}>
            {row.original.lowStock && (
              <Badge color="red" variant="light" size="sm">
                {t('stock.low', { level: row.original.reorderLevel })}
              </Badge>
            )}
            {row.original.earliestExpiry && row.original.earliestExpiry <= expirySoon && (
              <Badge color="orange" variant="light" size="sm">
                {t('stock.expiresSoon')}
              </Badge>
            )}
          </Group>
        ),
      },
    ],
    [t, f, expirySoon],
  );
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="wrap">
        <SearchBox value={search} onChange={setSearch} />
        <KindFilter value={kind} onChange={setKind} />
        <Checkbox label={t('filters.lowOnly')} checked={lowOnly} onChange={(e) => setLowOnly(e.currentTarget.checked)} />
        <Checkbox label={t('filters.all')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      {stock.error ? (
        <QueryError error={stock.error} onRetry={() => void stock.refetch()} />
      ) : (
        <DataTable
          caption={t('stock.caption')}
          columns={columns}
          data={stock.data ?? []}
          getRowId={(r) => r.itemId}
          loading={stock.isPending}
          testId="stock-table"
          empty={<EmptyState icon={<IconBox size={22} />} title={t('stock.emptyTitle')} description={t('stock.empty')} />}
        />
      )}
    </Stack>
  );
}

/** Lots expiring within 30, 60 or 90 days (and expired ones), and items at or below their reorder level. */
export function AlertsPanel() {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const [days, setDays] = useState<30 | 60 | 90>(90);
  const expiry = useExpiryAlerts(days);
  const low = useLowStock();
  const expiryColumns = useMemo<ColumnDef<ExpiryAlert>[]>(
    () => [
      { id: 'name', header: t('stock.item'), cell: ({ row }) => itemLink(row.original.itemId, row.original.name) },
      { id: 'lot', header: t('lots.lot'), cell: ({ row }) => row.original.lotNumber },
      { id: 'expires', header: t('lots.expires'), cell: ({ row }) => f.date(row.original.expiresOn) },
      {
        id: 'left',
        header: t('alerts.daysLeft'),
        cell: ({ row }) => {
          const a = row.original;
          return (
            <Badge
              color={a.daysLeft < 0 || a.window <= 30 ? 'red' : 'gray'}
              variant={a.daysLeft < 0 ? 'filled' : 'light'}
              size="sm"
            >
              {a.daysLeft < 0 ? t('alerts.expiredAgo', { count: -a.daysLeft }) : t('alerts.inDays', { count: a.daysLeft })}
            </Badge>
          );
        },
      },
      {
        id: 'onHand',
        header: t('stock.onHand'),
        meta: { align: 'right' },
        cell: ({ row }) => `${f.number(row.original.onHand)} ${row.original.unit}`,
      },
      {
        id: 'recalled',
        header: t('stock.status'),
        cell: ({ row }) =>
          row.original.recalled ? (
            <Badge color="red" size="sm">
              {t('lots.recalled')}
            </Badge>
          ) : null,
      },
    ],
    [t, f],
  );
  const lowColumns = useMemo<ColumnDef<StockRow>[]>(
    () => [
      { id: 'name', header: t('stock.item'), cell: ({ row }) => itemLink(row.original.itemId, row.original.name) },
      { id: 'kind', header: t('stock.kind'), cell: ({ row }) => t(`kinds.${row.original.kind}`) },
      {
        id: 'available',
        header: t('stock.available'),
        meta: { align: 'right' },
        cell: ({ row }) => f.number(row.original.available),
      },
      {
        id: 'level',
        header: t('stock.reorderLevel'),
        meta: { align: 'right' },
        cell: ({ row }) => f.number(row.original.reorderLevel),
      },
    ],
    [t, f],
  );
  return (
    <Stack gap="lg">
      <section aria-labelledby="inventory-expiry">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Title order={2} size="h4" id="inventory-expiry">
            {t('alerts.expiryTitle')}
          </Title>
          <SegmentedControl
            aria-label={t('alerts.window')}
            value={String(days)}
            onChange={(v) => setDays(Number(v) as 30 | 60 | 90)}
            data={EXPIRY_WINDOWS.map((d) => ({ value: String(d), label: t('alerts.withinDays', { count: d }) }))}
          />
        </Group>
        {expiry.error ? (
          <QueryError error={expiry.error} onRetry={() => void expiry.refetch()} />
        ) : (
          <DataTable
            caption={t('alerts.expiryTitle')}
            columns={expiryColumns}
            data={expiry.data ?? []}
            getRowId={(r) => r.lotId}
            loading={expiry.isPending}
            testId="expiry-table"
            empty={<EmptyState compact title={t('alerts.noExpiryTitle')} description={t('alerts.noExpiry', { count: days })} />}
          />
        )}
      </section>
      <section aria-labelledby="inventory-low">
        <Title order={2} size="h4" id="inventory-low" mb="xs">
          {t('alerts.lowTitle')}
        </Title>
        {low.error ? (
          <QueryError error={low.error} onRetry={() => void low.refetch()} />
        ) : (
          <DataTable
            caption={t('alerts.lowTitle')}
            columns={lowColumns}
            data={low.data ?? []}
            getRowId={(r) => r.itemId}
            loading={low.isPending}
            minWidth={480}
            testId="low-stock-table"
            empty={<EmptyState compact title={t('alerts.noLowTitle')} description={t('alerts.noLow')} />}
          />
        )}
      </section>
    </Stack>
  );
}

/** The stock at cost: per lot, with totals per kind and overall; the same figures as a CSV download. */
export function ValuationPanel() {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const valuation = useValuation();
  const download = useDownloadValuation();
  const [downloading, setDownloading] = useState(false);
  const rows = valuation.data?.rows ?? [];
  type Row = (typeof rows)[number];
  const columns = useMemo<ColumnDef<Row>[]>(
    () => [
      { id: 'name', header: t('stock.item'), cell: ({ row }) => itemLink(row.original.itemId, row.original.name) },
      { id: 'kind', header: t('stock.kind'), cell: ({ row }) => t(`kinds.${row.original.kind}`) },
      { id: 'lot', header: t('lots.lot'), cell: ({ row }) => row.original.lotNumber },
      { id: 'expires', header: t('lots.expires'), cell: ({ row }) => f.date(row.original.expiresOn) },
      { id: 'onHand', header: t('stock.onHand'), meta: { align: 'right' }, cell: ({ row }) => f.number(row.original.onHand) },
      { id: 'cost', header: t('lots.unitCost'), meta: { align: 'right' }, cell: ({ row }) => row.original.unitCost },
      {
        id: 'value',
        header: t('valuation.value'),
        meta: { align: 'right' },
        cell: ({ row }) => (
          <Text size="sm" fw={600}>
            {row.original.value}
          </Text>
        ),
      },
    ],
    [t, f],
  );
  const save = async () => {
    setDownloading(true);
    try {
      await download(t('valuation.fileName', { date: new Date().toISOString().slice(0, 10) }));
    } catch (err) {
      notifyError(err, t);
    } finally {
      setDownloading(false);
    }
  };
  if (valuation.error) return <QueryError error={valuation.error} onRetry={() => void valuation.refetch()} />;
  const totals = valuation.data?.totals;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs" style={{ flex: 1 }}>
          <Paper withBorder p="xs" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('valuation.total')}
            </Text>
            <Text fw={700} size="lg" data-testid="valuation-total">
              {totals?.total ?? '—'}
            </Text>
          </Paper>
          {totals &&
            Object.entries(totals.byKind).map(([kind, value]) => (
              <Paper key={kind} withBorder p="xs" radius="md">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t(`kinds.${kind}`, { defaultValue: kind })}
                </Text>
                <Text fw={600}>{value}</Text>
              </Paper>
            ))}
        </SimpleGrid>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          onClick={() => void save()}
          loading={downloading}
        >
          {t('valuation.csv')}
        </Button>
      </Group>
      {valuation.data && (
        <Text size="xs" c="dimmed">
          {t('valuation.at', { when: f.dateTime(valuation.data.at) })}
        </Text>
      )}
      <DataTable
        caption={t('valuation.caption')}
        columns={columns}
        data={rows}
        getRowId={(r) => r.lotId}
        loading={valuation.isPending}
        testId="valuation-table"
        empty={<EmptyState icon={<IconBox size={22} />} title={t('valuation.emptyTitle')} description={t('valuation.empty')} />}
      />
    </Stack>
  );
}

/** The organisation's item catalogue, with the clinic's reorder levels: create and edit items (inventory:manage). */
export function CatalogPanel() {
  const { t } = useTranslation('inventory');
  const { can } = useAuth();
  const [kind, setKind] = useState<ItemKind | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [inactive, setInactive] = useState(false);
  const [limit, setLimit] = useState(50);
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const items = useItems({
    ...(kind ? { kind } : {}),
    ...(q.trim() ? { q: q.trim() } : {}),
    ...(inactive ? { includeInactive: true } : {}),
    limit,
  });
  const manage = can('inventory:manage');
  const columns = useMemo<ColumnDef<Item>[]>(
    () => [
      { id: 'name', header: t('stock.item'), cell: ({ row }) => itemLink(row.original.id, row.original.name) },
      { id: 'kind', header: t('stock.kind'), cell: ({ row }) => t(`kinds.${row.original.kind}`) },
      { id: 'unit', header: t('stock.unit'), cell: ({ row }) => row.original.unit },
      { id: 'code', header: t('itemForm.code'), cell: ({ row }) => row.original.code ?? '—' },
      { id: 'level', header: t('stock.reorderLevel'), meta: { align: 'right' }, cell: ({ row }) => row.original.reorderLevel },
      {
        id: 'active',
        header: t('stock.status'),
        cell: ({ row }) =>
          row.original.active ? null : (
            <Badge color="gray" size="sm">
              {t('catalog.inactive')}
            </Badge>
          ),
      },
      ...(manage
        ? [
            {
              id: 'actions',
              header: () => <VisuallyHidden>{t('catalog.actions')}</VisuallyHidden>,
              meta: { align: 'right' as const },
              cell: ({ row }: { row: { original: Item } }) => (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => setEditing(row.original)}
                  aria-label={t('catalog.editNamed', { name: row.original.name })}
                >
                  {t('catalog.edit')}
                </Button>
              ),
            },
          ]
        : []),
    ],
    [t, manage],
  );
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm" wrap="wrap">
          <SearchBox value={search} onChange={setSearch} />
          <KindFilter value={kind} onChange={setKind} />
          <Checkbox label={t('filters.inactive')} checked={inactive} onChange={(e) => setInactive(e.currentTarget.checked)} />
        </Group>
        {manage && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('catalog.add')}
          </Button>
        )}
      </Group>
      {items.error ? (
        <QueryError error={items.error} onRetry={() => void items.refetch()} />
      ) : (
        <DataTable
          caption={t('catalog.caption')}
          columns={columns}
          data={items.data?.data ?? []}
          getRowId={(r) => r.id}
          loading={items.isPending}
          hasMore={!!items.data && items.data.total > items.data.data.length}
          onLoadMore={() => setLimit((l) => Math.min(200, l + 50))}
          testId="catalog-table"
          empty={<EmptyState icon={<IconBox size={22} />} title={t('catalog.emptyTitle')} description={t('catalog.empty')} />}
        />
      )}
      {editing && <ItemFormModal item={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
