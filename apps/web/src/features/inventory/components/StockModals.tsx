import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useItems, useLotAction, useReceive, useTransfer, type Item, type Lot, type LotAction } from '../api/inventory.ts';

const MONEY = /^[0-9]{1,8}(\.[0-9]{1,4})?$/;

function MutationError({ error }: { error: unknown }) {
  const { t } = useTranslation('inventory');
  if (!error) return null;
  return (
    <Alert color="red" role="alert">
      {errorMessage(error, t)}
    </Alert>
  );
}

/** Receiving a delivery: a new lot (or more of the lot of that number and expiry) of an item. */
export function ReceiveModal({ item, onClose }: { item?: Item; onClose: () => void }) {
  const { t } = useTranslation('inventory');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 200);
  const items = useItems({ q: q || undefined, limit: 30 }, !item);
  const [itemId, setItemId] = useState<string | null>(item?.id ?? null);
  const [lotNumber, setLotNumber] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [quantity, setQuantity] = useState<number | ''>('');
  const [unitCost, setUnitCost] = useState('');
  const [supplier, setSupplier] = useState('');
  const [reference, setReference] = useState('');
  const [tried, setTried] = useState(false);
  const receive = useReceive();

  const errors = {
    itemId: !itemId ? t('form.required') : null,
    lotNumber: !lotNumber.trim() ? t('form.required') : null,
    expiresOn: !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) ? t('form.date') : null,
    quantity: typeof quantity !== 'number' || quantity < 1 ? t('form.positive') : null,
    unitCost: !MONEY.test(unitCost.trim()) ? t('form.money') : null,
  };
  const valid = Object.values(errors).every((e) => !e);
  const show = (e: string | null) => (tried ? e : null);

  const submit = () => {
    setTried(true);
    if (!valid) return;
    receive.mutate(
      {
        itemId: itemId!,
        lotNumber: lotNumber.trim(),
        expiresOn,
        quantity: quantity as number,
        unitCost: unitCost.trim(),
        ...(supplier.trim() ? { supplier: supplier.trim() } : {}),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      },
      {
        onSuccess: (res) => {
          notifySuccess(t('receive.done', { count: res.movement.quantity, lot: res.lot.lotNumber }));
          onClose();
        },
      },
    );
  };

  const options = [...(item ? [item] : (items.data?.data ?? [])).map((i) => ({ value: i.id, label: `${i.name} (${i.unit})` }))];
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('receive.title')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('receive.item')}
            data={options}
            value={itemId}
            onChange={setItemId}
            searchable={!item}
            searchValue={item ? undefined : search}
            onSearchChange={item ? undefined : setSearch}
            disabled={!!item}
            filter={({ options: o }) => o}
            nothingFoundMessage={t('receive.noItem')}
            error={show(errors.itemId)}
            required
            data-autofocus={!item || undefined}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('receive.lotNumber')}
              value={lotNumber}
              onChange={(e) => setLotNumber(e.currentTarget.value)}
              maxLength={64}
              error={show(errors.lotNumber)}
              required
              data-autofocus={item ? true : undefined}
            />
            <TextInput
              type="date"
              label={t('receive.expiresOn')}
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.currentTarget.value)}
              error={show(errors.expiresOn)}
              required
            />
          </Group>
          <Group grow align="flex-start">
            <NumberInput
              label={t('receive.quantity')}
              value={quantity}
              onChange={(v) => setQuantity(typeof v === 'number' ? v : '')}
              min={1}
              max={1_000_000}
              allowDecimal={false}
              allowNegative={false}
              error={show(errors.quantity)}
              required
            />
            <TextInput
              label={t('receive.unitCost')}
              description={t('receive.unitCostHint')}
              value={unitCost}
              onChange={(e) => setUnitCost(e.currentTarget.value)}
              inputMode="decimal"
              error={show(errors.unitCost)}
              required
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label={t('receive.supplier')}
              value={supplier}
              onChange={(e) => setSupplier(e.currentTarget.value)}
              maxLength={200}
            />
            <TextInput
              label={t('receive.reference')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              maxLength={120}
            />
          </Group>
          <MutationError error={receive.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={receive.isPending}>
              {t('receive.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Adjust (signed, with a reason), destroy, return to the supplier, or recall a lot. */
export function LotActionModal({ lot, action, onClose }: { lot: Lot; action: LotAction; onClose: () => void }) {
  const { t } = useTranslation('inventory');
  const [quantity, setQuantity] = useState<number | ''>(action === 'adjust' ? '' : lot.onHand - lot.reserved);
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [tried, setTried] = useState(false);
  const mutation = useLotAction();
  const needsQuantity = action !== 'recall';
  const max = action === 'adjust' ? 1_000_000 : Math.max(0, lot.onHand - lot.reserved);
  const quantityError = !needsQuantity
    ? null
    : typeof quantity !== 'number' || quantity === 0 || (action !== 'adjust' && quantity < 1)
      ? t(action === 'adjust' ? 'form.nonZero' : 'form.positive')
      : action === 'adjust' && lot.onHand + quantity < 0
        ? t('lotAction.belowZero', { onHand: lot.onHand })
        : null;
  const reasonError = !reason.trim() ? t('form.required') : null;

  const submit = () => {
    setTried(true);
    if (quantityError || reasonError) return;
    mutation.mutate(
      {
        action,
        lotId: lot.id,
        quantity: quantity as number,
        reason: reason.trim(),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      },
      {
        onSuccess: () => {
          notifySuccess(t(`lotAction.done.${action}`, { lot: lot.lotNumber }));
          onClose();
        },
      },
    );
  };
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t(`lotAction.title.${action}`, { lot: lot.lotNumber })}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('lotAction.current', { onHand: lot.onHand, reserved: lot.reserved })}
          </Text>
          {needsQuantity && (
            <NumberInput
              label={action === 'adjust' ? t('lotAction.signedQuantity') : t('lotAction.quantity')}
              description={action === 'adjust' ? t('lotAction.signedHint') : undefined}
              value={quantity}
              onChange={(v) => setQuantity(typeof v === 'number' ? v : '')}
              min={action === 'adjust' ? -lot.onHand : 1}
              max={max}
              allowDecimal={false}
              allowNegative={action === 'adjust'}
              error={tried ? quantityError : null}
              required
              data-autofocus
            />
          )}
          <Textarea
            label={t('lotAction.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            error={tried ? reasonError : null}
            required
            data-autofocus={!needsQuantity || undefined}
          />
          {(action === 'destroy' || action === 'return') && (
            <TextInput
              label={t('lotAction.reference')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              maxLength={120}
            />
          )}
          <MutationError error={mutation.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t(`lotAction.submit.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Transferring units of an item's lots to another clinic where the user also manages the stock; all or nothing. */
export function TransferModal({ item, lots, onClose }: { item: Item; lots: Lot[]; onClose: () => void }) {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const { me, activeClinic } = useAuth();
  const destinations = (me?.clinics ?? []).filter(
    (c) =>
      c.id !== activeClinic?.id && me?.memberships.some((m) => m.clinicId === c.id && m.permissions.includes('inventory:manage')),
  );
  const movable = lots.filter((l) => l.available > 0);
  const [toClinicId, setTo] = useState<string | null>(destinations.length === 1 ? destinations[0]!.id : null);
  const [quantities, setQuantities] = useState<Record<string, number | ''>>({});
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const transfer = useTransfer();
  const lines = movable.flatMap((l) => {
    const q = quantities[l.id];
    return typeof q === 'number' && q > 0 ? [{ lotId: l.id, quantity: q }] : [];
  });
  const over = movable.some((l) => {
    const q = quantities[l.id];
    return typeof q === 'number' && q > l.available;
  });
  const submit = () => {
    setTried(true);
    if (!toClinicId || lines.length === 0 || over) return;
    transfer.mutate(
      { toClinicId, lines, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: () => {
          notifySuccess(
            t('transfer.done', {
              count: lines.reduce((n, l) => n + l.quantity, 0),
              clinic: destinations.find((d) => d.id === toClinicId)?.name ?? '',
            }),
          );
          onClose();
        },
      },
    );
  };
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('transfer.title', { name: item.name })}
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          {destinations.length === 0 ? (
            <Alert color="yellow">{t('transfer.noDestination')}</Alert>
          ) : (
            <Select
              label={t('transfer.to')}
              data={destinations.map((c) => ({ value: c.id, label: c.name }))}
              value={toClinicId}
              onChange={setTo}
              error={tried && !toClinicId ? t('form.required') : null}
              required
              data-autofocus
            />
          )}
          {movable.length === 0 ? (
            <Text size="sm">{t('transfer.nothing')}</Text>
          ) : (
            <Table fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('lots.lot')}</Table.Th>
                  <Table.Th>{t('lots.expires')}</Table.Th>
                  <Table.Th ta="right">{t('lots.available')}</Table.Th>
                  <Table.Th w={140}>{t('transfer.quantity')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {movable.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.lotNumber}</Table.Td>
                    <Table.Td>{f.date(l.expiresOn)}</Table.Td>
                    <Table.Td ta="right">{l.available}</Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={t('transfer.quantityOf', { lot: l.lotNumber })}
                        size="xs"
                        value={quantities[l.id] ?? ''}
                        onChange={(v) => setQuantities((all) => ({ ...all, [l.id]: typeof v === 'number' ? v : '' }))}
                        min={0}
                        max={l.available}
                        allowDecimal={false}
                        allowNegative={false}
                        error={typeof quantities[l.id] === 'number' && (quantities[l.id] as number) > l.available}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {tried && lines.length === 0 && (
            <Text size="sm" c="red">
              {t('transfer.noLines')}
            </Text>
          )}
          <Textarea
            label={t('transfer.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
          />
          <MutationError error={transfer.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={transfer.isPending} disabled={destinations.length === 0 || movable.length === 0}>
              {t('transfer.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
