import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '@sanita/contracts/patients';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { useQuickPatientSearch } from '../../patients/index.ts';

/** Type-ahead patient choice through the patient search API (server-side matching, audited there). */
export function PatientPicker({
  value,
  onChange,
  error,
  label,
  autoFocus,
}: {
  value: PatientSummary | null;
  onChange: (patient: PatientSummary | null) => void;
  error?: string;
  label?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('scheduling');
  const f = useFormatters();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const lookup = useQuickPatientSearch(debounced);
  const found = lookup.data?.data ?? [];
  // Keep the chosen patient among the options so the field still shows them after a new search.
  const options = value && !found.some((p) => p.id === value.id) ? [value, ...found] : found;
  const describe = (p: PatientSummary) => `${fullName(p)} · ${p.mrn} · ${f.date(p.birthDate)}`;

  return (
    <Select
      label={label ?? t('booking.patient')}
      placeholder={t('booking.patientPlaceholder')}
      leftSection={<IconSearch size={16} aria-hidden />}
      searchable
      clearable
      withAsterisk
      data-autofocus={autoFocus ? true : undefined}
      searchValue={search}
      onSearchChange={setSearch}
      // Matching is the server's (phonetic, MRN, phone); do not filter its answers again here.
      filter={({ options: all }) => all}
      data={options.map((p) => ({ value: p.id, label: describe(p) }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((p) => p.id === id) ?? null)}
      // An empty listbox is an ARIA error: below two characters the list stays closed (the placeholder says what to type).
      nothingFoundMessage={
        debounced.trim().length < 2 ? undefined : lookup.isFetching ? t('common.loading') : t('booking.noMatch')
      }
      error={error}
    />
  );
}
