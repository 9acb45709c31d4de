import { useState, type Ref } from 'react';
import { Badge, Combobox, Group, Highlight, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPill, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormularySearch, type FormularyItem } from '../api/medications.ts';

/** At most this many matches, all in view: a scrolling listbox is not keyboard-reachable. */
const LIMIT = 10;
const FREE = '__free__';

/**
 * A search of the formulary that adds what is chosen: type, arrows, Enter. The last option adds the typed
 * words as a free-text medication (checked by name only). The field empties after each choice, ready for
 * the next medication.
 */
export function FormularyPicker({
  onPick,
  onFreeText,
  label,
  inputRef,
  allowFreeText = true,
  autoFocus,
}: {
  onPick: (item: FormularyItem) => void;
  onFreeText?: (text: string) => void;
  label?: string;
  inputRef?: Ref<HTMLInputElement>;
  allowFreeText?: boolean;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('medications');
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 150);
  const found = useFormularySearch({ q: debounced, limit: LIMIT }, debounced.length >= 2);
  const items = debounced.length >= 2 ? (found.data?.data ?? []) : [];
  const words = debounced.split(/\s+/).filter((w) => w.length >= 2);
  // the answer is for what is typed now (not for an earlier prefix, nor still on its way)
  const settled = debounced === text.trim() && !found.isFetching;
  const free = allowFreeText && onFreeText && text.trim().length >= 2 && settled;

  const choose = (value: string) => {
    if (value === FREE) onFreeText?.(text.trim());
    else {
      const item = items.find((i) => i.id === value);
      if (!item) return;
      onPick(item);
    }
    setText('');
    combobox.closeDropdown();
  };

  const options = items.map((item) => (
    <Combobox.Option value={item.id} key={item.id}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <div style={{ minWidth: 0 }}>
          <Highlight size="sm" highlight={words} fw={500}>
            {item.name}
          </Highlight>
          <Text size="xs" c="dimmed" truncate>
            {[item.genericName, item.therapeuticClass].filter(Boolean).join(' · ')}
            {item.clinic?.brandNames.length ? ` · ${t('picker.brands', { names: item.clinic.brandNames.join(', ') })}` : ''}
          </Text>
        </div>
        {!item.active && (
          <Badge size="xs" color="gray" variant="light">
            {t('picker.inactive')}
          </Badge>
        )}
      </Group>
    </Combobox.Option>
  ));

  const open = text.trim().length >= 2 && (items.length > 0 || settled);

  return (
    <Combobox store={combobox} onOptionSubmit={choose} withinPortal={false}>
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          label={label ?? t('picker.label')}
          placeholder={t('picker.placeholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={text}
          autoFocus={autoFocus}
          autoComplete="off"
          onChange={(e) => {
            setText(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || combobox.getSelectedOptionIndex() >= 0) return;
            // Enter with nothing highlighted takes the first match once the search has answered what is typed
            e.preventDefault();
            if (settled && (items[0] || free)) choose(items[0]?.id ?? FREE);
          }}
          data-testid="formulary-picker"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!open}>
        <Combobox.Options aria-label={label ?? t('picker.label')}>
          {options}
          {free && (
            <Combobox.Option value={FREE}>
              <Group gap="xs" wrap="nowrap">
                <IconPill size={14} aria-hidden />
                <Text size="sm">{t('picker.freeText', { text: text.trim() })}</Text>
              </Group>
            </Combobox.Option>
          )}
          {items.length === 0 && !free && <Combobox.Empty>{settled ? t('picker.noMatch') : t('picker.loading')}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
