import { useState } from 'react';
import { Alert, Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../lib/errors.ts';
import { useInvoiceActions, usePriceList, type Invoice } from '../api/billing.ts';
import { isDecimal } from '../lib/money.ts';
import { useMoney } from './format.ts';

/** A manual line from the price list (searchable by code or name), in the invoice's currency. */
export function AddLineForm({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation('billing');
  const money = useMoney();
  const fr = i18n.resolvedLanguage?.startsWith('fr');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [itemId, setItemId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('1');
  const prices = usePriceList({ q: debounced.trim(), currency: invoice.currency, limit: 50 });
  const { addLine } = useInvoiceActions(invoice.id);
  const items = prices.data ?? [];
  const valid = !!itemId && isDecimal(quantity.trim()) && !quantity.trim().startsWith('-');
  const submit = () => {
    if (!valid) return;
    addLine.mutate(
      { priceItemId: itemId, quantity: quantity.trim(), version: invoice.version },
      {
        onSuccess: () => {
          setItemId(null);
          setSearch('');
          setQuantity('1');
        },
      },
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="add-line"
    >
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          label={t('lines.addItem')}
          placeholder={t('lines.searchItem')}
          searchable
          clearable
          w={380}
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          value={itemId}
          onChange={setItemId}
          nothingFoundMessage={prices.isFetching ? t('lines.searching') : t('lines.noItem')}
          data={items.map((p) => ({
            value: p.id,
            label: `${p.code} · ${(fr && p.nameFr) || p.name} · ${money(p.unitPrice, p.currency)}`,
          }))}
        />
        <TextInput
          label={t('lines.quantity')}
          w={90}
          inputMode="decimal"
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value)}
        />
        <Button type="submit" leftSection={<IconPlus size={14} />} disabled={!valid} loading={addLine.isPending}>
          {t('lines.add')}
        </Button>
      </Group>
      {addLine.error && (
        <Alert color="red" mt="xs">
          {errorMessage(addLine.error, t)}
        </Alert>
      )}
    </form>
  );
}
