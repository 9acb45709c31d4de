import { useState, type Ref } from 'react';
import { Badge, Combobox, Group, Highlight, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLabCatalogue, type LabTest } from '../api/lab.ts';
import { membersText, testName, unitLabel, withCode } from './labels.ts';

/** At most this many matches, all in view: a scrolling listbox is not keyboard-reachable. */
const LIMIT = 10;

/**
 * A search of the lab catalogue (tests and panels) that adds what is chosen: type, arrows, Enter. The field
 * empties after each choice, ready for the next test. Tests already chosen are marked.
 */
export function TestPicker({
  onPick,
  chosen,
  inputRef,
  label,
}: {
  onPick: (test: LabTest) => void;
  chosen: ReadonlySet<string>;
  inputRef?: Ref<HTMLInputElement>;
  label?: string;
}) {
  const { t, i18n } = useTranslation('lab');
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 150);
  const found = useLabCatalogue({ q: debounced, limit: LIMIT }, debounced.length >= 1);
  const tests = debounced.length >= 1 ? (found.data ?? []).filter((x) => x.active) : [];
  const words = debounced.split(/\s+/).filter(Boolean);
  const settled = debounced === text.trim() && !found.isFetching;

  const choose = (id: string) => {
    const test = tests.find((x) => x.id === id);
    if (!test) return;
    onPick(test);
    setText('');
    combobox.closeDropdown();
  };

  const open = text.trim().length >= 1 && (tests.length > 0 || settled);
  const fieldLabel = label ?? t('order.picker');

  return (
    <Combobox store={combobox} onOptionSubmit={choose} withinPortal={false}>
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          label={fieldLabel}
          placeholder={t('order.pickerPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={text}
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
            if (settled && tests[0]) choose(tests[0].id);
          }}
          data-testid="lab-test-picker"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!open}>
        <Combobox.Options aria-label={fieldLabel}>
          {tests.map((test) => (
            <Combobox.Option value={test.id} key={test.id} data-testid="lab-test-option">
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <div style={{ minWidth: 0 }}>
                  <Highlight size="sm" highlight={words} fw={500}>
                    {withCode(testName(test, i18n.resolvedLanguage), test.code)}
                  </Highlight>
                  <Text size="xs" c="dimmed" truncate>
                    {[
                      t(`specimen.${test.specimenType}`),
                      test.kind === 'panel' ? membersText(test.members.map((m) => m.code)) : unitLabel(test.unit),
                      test.loinc ? `LOINC ${test.loinc}` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </div>
                <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                  {test.kind === 'panel' && (
                    <Badge size="xs" variant="light" color="indigo">
                      {t('kind.panel')}
                    </Badge>
                  )}
                  {chosen.has(test.id) && (
                    <Badge size="xs" variant="light" color="green">
                      {t('order.chosenBadge')}
                    </Badge>
                  )}
                </Group>
              </Group>
            </Combobox.Option>
          ))}
          {tests.length === 0 && <Combobox.Empty>{settled ? t('order.noMatch') : t('order.searching')}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
