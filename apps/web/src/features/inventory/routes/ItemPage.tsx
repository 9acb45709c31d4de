import { useMemo, useState } from 'react';
import { Anchor, Badge, Button, Group, Menu, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconDots, IconEdit, IconTransfer, IconTruckDelivery } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import {
  useFormularyProduct,
  useItem,
  useLots,
  useMovements,
  type Item,
  type Lot,
  type LotAction,
  type Movement,
} from '../api/inventory.ts';
import { formularyLabel } from '../components/FormularyField.tsx';
import { ItemFormModal } from '../components/ItemFormModal.tsx';
import { LotActionModal, ReceiveModal, TransferModal } from '../components/StockModals.tsx';

/** One item at the active clinic: its lots (first to expire first) with what can be done to each, and its ledger. */
export function ItemPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  if (item.error) return <QueryError error={item.error} onRetry={() => void item.refetch()} />;
  if (!item.data) return <Skeleton h={200} />;
  return <ItemView item={item.data} />;
}

function ItemView({ item }: { item: Item }) {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const { can, me, activeClinic } = useAuth();
  const manage = can('inventory:manage');
  // transfers go to another clinic where the user manages the stock too
  const canTransfer = (me?.memberships ?? []).some(
    (m) => m.clinicId !== activeClinic?.id && m.permissions.includes('inventory:manage'),
  );
  const lots = useLots(item.id);
  const product = useFormularyProduct(item.formularyItemId, can('formulary:read'));
  const [modal, setModal] = useState<
    { kind: 'receive' } | { kind: 'edit' } | { kind: 'transfer' } | { kind: 'lot'; lot: Lot; action: LotAction } | null
  >(null);
  const totals = (lots.data ?? []).reduce(
    (s, l) => ({ onHand: s.onHand + l.onHand, reserved: s.reserved + l.reserved, available: s.available + l.available }),
    { onHand: 0, reserved: 0, available: 0 },
  );

  const lotColumns = useMemo<ColumnDef<Lot>[]>(
    () => [
      {
        id: 'lot',
        header: t('lots.lot'),
        cell: ({ row }) => (
          <Text size="sm" fw={600}>
            {row.original.lotNumber}
          </Text>
        ),
      },
      {
        id: 'expires',
        header: t('lots.expires'),
        cell: ({ row }) => (
          <Group gap={4} wrap="nowrap">
            {f.date(row.original.expiresOn)}
            {row.original.expired && (
              <Badge color="red" size="xs">
                {t('lots.expired')}
              </Badge>
            )}
            {row.original.recalledAt && (
              <Badge color="red" size="xs" variant="outline" title={row.original.recallReason ?? undefined}>
                {t('lots.recalled')}
              </Badge>
            )}
          </Group>
        ),
      },
      { id: 'onHand', header: t('stock.onHand'), meta: { align: 'right' }, cell: ({ row }) => row.original.onHand },
      { id: 'reserved', header: t('stock.reserved'), meta: { align: 'right' }, cell: ({ row }) => row.original.reserved },
      {
        id: 'available',
        header: t('stock.available'),
        meta: { align: 'right' },
        cell: ({ row }) => (
          <Text size="sm" fw={700}>
            {row.original.available}
          </Text>
        ),
      },
      { id: 'cost', header: t('lots.unitCost'), meta: { align: 'right' }, cell: ({ row }) => row.original.unitCost },
      { id: 'supplier', header: t('lots.supplier'), cell: ({ row }) => row.original.supplier ?? '—' },
      { id: 'received', header: t('lots.received'), cell: ({ row }) => f.date(row.original.receivedAt) },
      ...(manage
        ? [
            {
              id: 'actions',
              header: t('catalog.actions'),
              meta: { align: 'right' as const },
              cell: ({ row }: { row: { original: Lot } }) => {
                const lot = row.original;
                const usable = !lot.expired && !lot.recalledAt;
                return (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        rightSection={<IconDots size={14} aria-hidden />}
                        aria-label={t('lots.actionsOf', { lot: lot.lotNumber })}
                      >
                        {t('catalog.actions')}
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {(['adjust', 'destroy', 'return', 'recall'] as const)
                        .filter((a) => a !== 'recall' || !lot.recalledAt)
                        .filter((a) => a === 'recall' || a === 'adjust' || lot.onHand > 0)
                        .filter((a) => a !== 'adjust' || usable || lot.onHand > 0)
                        .map((a) => (
                          <Menu.Item key={a} onClick={() => setModal({ kind: 'lot', lot, action: a })}>
                            {t(`lotAction.menu.${a}`)}
                          </Menu.Item>
                        ))}
                    </Menu.Dropdown>
                  </Menu>
                );
              },
            },
          ]
        : []),
    ],
    [t, f, manage],
  );

  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/inventory" size="sm">
            <Group gap={4}>
              <IconArrowLeft size={14} aria-hidden />
              {t('title')}
            </Group>
          </Anchor>
        }
        title={item.name}
        description={[
          t(`kinds.${item.kind}`),
          t('item.unit', { unit: item.unit }),
          item.code ? t('item.code', { code: item.code }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
        actions={
          manage && (
            <>
              <Button
                variant="default"
                leftSection={<IconEdit size={16} aria-hidden />}
                onClick={() => setModal({ kind: 'edit' })}
              >
                {t('catalog.edit')}
              </Button>
              {canTransfer && (
                <Button
                  variant="default"
                  leftSection={<IconTransfer size={16} aria-hidden />}
                  onClick={() => setModal({ kind: 'transfer' })}
                  disabled={totals.available === 0}
                >
                  {t('transfer.button')}
                </Button>
              )}
              <Button leftSection={<IconTruckDelivery size={16} aria-hidden />} onClick={() => setModal({ kind: 'receive' })}>
                {t('receive.title')}
              </Button>
            </>
          )
        }
      />
      <Group gap="xs" mb="sm" wrap="wrap">
        <Badge variant="light" size="lg">
          {t('item.onHand', { count: totals.onHand })}
        </Badge>
        <Badge variant="light" size="lg" color="gray">
          {t('item.reserved', { count: totals.reserved })}
        </Badge>
        <Badge variant="light" size="lg" color={item.reorderLevel > 0 && totals.available <= item.reorderLevel ? 'red' : 'green'}>
          {t('item.available', { count: totals.available })}
        </Badge>
        <Text size="sm" c="dimmed">
          {item.reorderLevel > 0 ? t('item.reorderLevel', { level: item.reorderLevel }) : t('item.noReorderLevel')}
        </Text>
        {!item.active && <Badge color="gray">{t('catalog.inactive')}</Badge>}
      </Group>
      {item.kind === 'medication' && (!item.formularyItemId || product.data) && (
        <Text size="sm" mb="sm" c={product.data ? undefined : 'orange.9'} data-testid="item-formulary">
          {product.data ? t('item.formulary', { name: formularyLabel(product.data) }) : t('item.noFormulary')}
        </Text>
      )}
      <Stack gap="lg">
        <section aria-labelledby="item-lots">
          <Title order={2} size="h4" id="item-lots" mb="xs">
            {t('lots.title')}
          </Title>
          {lots.error ? (
            <QueryError error={lots.error} onRetry={() => void lots.refetch()} />
          ) : (
            <DataTable
              caption={t('lots.title')}
              columns={lotColumns}
              data={lots.data ?? []}
              getRowId={(l) => l.id}
              loading={lots.isPending}
              testId="lots-table"
              minWidth={820}
              empty={<EmptyState compact title={t('lots.emptyTitle')} description={t('lots.empty')} />}
            />
          )}
        </section>
        <Ledger itemId={item.id} />
      </Stack>
      {modal?.kind === 'receive' && <ReceiveModal item={item} onClose={() => setModal(null)} />}
      {modal?.kind === 'edit' && <ItemFormModal item={item} onClose={() => setModal(null)} />}
      {modal?.kind === 'transfer' && <TransferModal item={item} lots={lots.data ?? []} onClose={() => setModal(null)} />}
      {modal?.kind === 'lot' && <LotActionModal lot={modal.lot} action={modal.action} onClose={() => setModal(null)} />}
    </>
  );
}

/** The item's movements at the clinic, newest first, paged: the ledger the stock is the sum of. */
function Ledger({ itemId }: { itemId: string }) {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const movements = useMovements(itemId);
  const columns = useMemo<ColumnDef<Movement>[]>(
    () => [
      { id: 'at', header: t('ledger.at'), cell: ({ row }) => f.dateTime(row.original.at) },
      {
        id: 'kind',
        header: t('ledger.kind'),
        cell: ({ row }) => (
          <Badge size="sm" variant="light" color={row.original.quantity > 0 ? 'green' : 'red'}>
            {t(`movements.${row.original.kind}`)}
          </Badge>
        ),
      },
      { id: 'lot', header: t('lots.lot'), cell: ({ row }) => row.original.lotNumber },
      {
        id: 'quantity',
        header: t('ledger.quantity'),
        meta: { align: 'right' },
        cell: ({ row }) => (
          <Text size="sm" fw={600} c={row.original.quantity > 0 ? 'green.9' : 'red.9'}>
            {row.original.quantity > 0 ? `+${row.original.quantity}` : `−${-row.original.quantity}`}
          </Text>
        ),
      },
      { id: 'balance', header: t('ledger.balance'), meta: { align: 'right' }, cell: ({ row }) => row.original.balanceAfter },
      {
        id: 'why',
        header: t('ledger.why'),
        cell: ({ row }) => [row.original.reason, row.original.reference].filter(Boolean).join(' · ') || '—',
      },
      { id: 'by', header: t('ledger.by'), cell: ({ row }) => row.original.by.name },
    ],
    [t, f],
  );
  return (
    <section aria-labelledby="item-ledger">
      <Title order={2} size="h4" id="item-ledger" mb="xs">
        {t('ledger.title')}
      </Title>
      {movements.error ? (
        <QueryError error={movements.error} onRetry={movements.refetch} />
      ) : (
        <DataTable
          caption={t('ledger.title')}
          columns={columns}
          data={movements.rows}
          getRowId={(m) => m.id}
          loading={movements.isLoading}
          hasMore={movements.hasMore}
          loadingMore={movements.loadingMore}
          onLoadMore={movements.loadMore}
          testId="ledger-table"
          minWidth={820}
          empty={<EmptyState compact title={t('ledger.emptyTitle')} description={t('ledger.empty')} />}
        />
      )}
    </section>
  );
}
