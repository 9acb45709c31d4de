import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useFormularyProduct, useFormularyProducts, type FormularyItem } from '../api/inventory.ts';

/** How a formulary product reads in the picker and on the item page: its name, and its generic name when it differs. */
export function formularyLabel(item: Pick<FormularyItem, 'name' | 'genericName'>): string {
  return item.genericName && !item.name.toLowerCase().includes(item.genericName.toLowerCase())
    ? `${item.name} (${item.genericName})`
    : item.name;
}

/**
 * The formulary product a medication item is: a search of the formulary (two letters or more), cleared to
 * unlink. A linked item is what the pharmacy dispenses for prescriptions of that product.
 */
export function FormularyField({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | null;
}) {
  const { t } = useTranslation('inventory');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const linked = useFormularyProduct(value);
  const found = useFormularyProducts(debounced, debounced.length >= 2);
  const items = new Map<string, FormularyItem>();
  if (linked.data) items.set(linked.data.id, linked.data);
  for (const item of debounced.length >= 2 ? (found.data ?? []) : []) items.set(item.id, item);

  return (
    <Select
      label={t('itemForm.formulary')}
      description={t('itemForm.formularyHint')}
      placeholder={t('itemForm.formularyPlaceholder')}
      data={[...items.values()].map((item) => ({ value: item.id, label: formularyLabel(item) }))}
      value={value}
      onChange={(id) => onChange(id)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // the server searched (typo-tolerant, brands, ingredients): every answer is shown
      filter={({ options }) => options}
      nothingFoundMessage={
        debounced.length < 2
          ? t('itemForm.formularyType')
          : found.isFetching
            ? t('itemForm.formularySearching')
            : t('itemForm.formularyNone')
      }
      clearable
      clearButtonProps={{ 'aria-label': t('itemForm.formularyClear') }}
      error={error}
      maxDropdownHeight={280}
    />
  );
}
