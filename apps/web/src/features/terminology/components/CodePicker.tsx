import { useState, type ReactNode } from 'react';
import { Badge, Group, Highlight, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export interface CodePickerProps<T> {
  value: T | null;
  onChange: (value: T | null) => void;
  label: string;
  error?: ReactNode;
  autoFocus?: boolean;
  required?: boolean;
  disabled?: boolean;
}

interface Internal<T> extends CodePickerProps<T> {
  /** what a found item is called in the list and in the field */
  codeOf: (item: T) => string;
  textOf: (item: T) => string;
  /** a short mark beside the text (e.g. 'header', 'inactive') */
  markOf?: (item: T) => string | null;
  /** the typed text (`usePickerSearch`) */
  search: PickerSearch;
  /** what the server found for `search.debounced` */
  found: { items: T[]; fetching: boolean; enabled: boolean };
  placeholder: string;
  help: string;
  /** the list opens with nothing typed (the CVX list of active vaccines) */
  openEmpty?: boolean;
}

export interface PickerSearch {
  text: string;
  setText: (text: string) => void;
  /** what to ask the server: the typed text after a pause, '' while the field shows the choice */
  debounced: string;
}

/** The text typed in a picker, debounced; the label of the chosen item shown in the field is not a search. */
export function usePickerSearch(chosenLabel: string | null): PickerSearch {
  const [text, setText] = useState('');
  const typed = chosenLabel !== null && text === chosenLabel ? '' : text;
  const [debounced] = useDebouncedValue(typed, 200);
  return { text, setText, debounced };
}

/** How a picker shows an item in the field. */
export const pickerLabel = (code: string, text: string) => `${code} — ${text}`;

/**
 * A searchable choice among the codes the server finds (debounced; the server's matching and ranking
 * are kept, not filtered again): arrows and Enter choose, each option shows the code in monospace and
 * its description with the typed words highlighted.
 */
export function CodePicker<T>(props: Internal<T>) {
  const { t } = useTranslation('terminology');
  const { value, onChange, codeOf, textOf, markOf, found } = props;
  const { text: search, setText: setSearch, debounced } = props.search;
  const labelOf = (item: T) => pickerLabel(codeOf(item), textOf(item));
  const items = value && !found.items.some((i) => codeOf(i) === codeOf(value)) ? [value, ...found.items] : found.items;
  const words = debounced
    .split(/[\s.,;:/()-]+/)
    .filter((w) => w.length >= 2)
    .slice(0, 8);
  const byCode = new Map(items.map((i) => [codeOf(i), i]));

  return (
    <Select
      label={props.label}
      description={props.help}
      placeholder={props.placeholder}
      leftSection={<IconSearch size={16} aria-hidden />}
      searchable
      clearable
      withAsterisk={props.required}
      disabled={props.disabled}
      data-autofocus={props.autoFocus ? true : undefined}
      autoFocus={props.autoFocus}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={items.map((i) => ({ value: codeOf(i), label: labelOf(i) }))}
      value={value ? codeOf(value) : null}
      onChange={(code) => onChange(code ? (byCode.get(code) ?? null) : null)}
      // at most PICKER_LIMIT options, all in view: the list never scrolls (a scrolling listbox cannot be
      // reached from the keyboard, and a focusable scroller inside it breaks the listbox's ARIA); typing narrows
      withScrollArea={false}
      comboboxProps={{ width: 'target', shadow: 'md', transitionProps: { duration: 0 } }}
      renderOption={({ option }) => {
        const item = byCode.get(option.value);
        if (!item) return option.label;
        const mark = markOf?.(item);
        return (
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Text ff="monospace" fw={600} size="sm" miw="5.5rem">
              {codeOf(item)}
            </Text>
            <Highlight size="sm" highlight={words} style={{ flex: 1 }}>
              {textOf(item)}
            </Highlight>
            {mark && (
              <Badge size="xs" variant="light" color="gray">
                {mark}
              </Badge>
            )}
          </Group>
        );
      }}
      // an empty listbox is an ARIA error: the list stays closed until there is something to say
      nothingFoundMessage={
        !found.enabled
          ? undefined
          : found.fetching
            ? t('loading')
            : debounced.trim() || props.openEmpty
              ? t('noMatch')
              : undefined
      }
      error={props.error}
    />
  );
}
