import { useTranslation } from 'react-i18next';
import type { Icd10Code } from '@sanita/contracts/terminology';
import { useIcd10Search } from '../api/terminology.ts';
import { CodePicker, pickerLabel, usePickerSearch, type CodePickerProps } from './CodePicker.tsx';

/**
 * Choose an ICD-10-CM code (FY2026): type a code ('E11', 'e11.9') or words in any order
 * ('diabetes type 2'). Descriptions are CDC's, in English only (the help line says so, in French too).
 * `billableOnly` offers only codes valid for claims (no category headers).
 */
export function Icd10Picker({ billableOnly = false, ...props }: CodePickerProps<Icd10Code> & { billableOnly?: boolean }) {
  const { t } = useTranslation('terminology');
  const search = usePickerSearch(props.value ? pickerLabel(props.value.code, props.value.description) : null);
  const q = search.debounced.trim();
  const result = useIcd10Search(q, billableOnly);
  return (
    <CodePicker<Icd10Code>
      {...props}
      codeOf={(c) => c.code}
      textOf={(c) => c.description}
      markOf={(c) => (c.billable ? null : t('icd10.header'))}
      placeholder={t('icd10.placeholder')}
      help={t('icd10.help')}
      search={search}
      found={{ items: q.length >= 2 ? (result.data?.data ?? []) : [], fetching: result.isFetching, enabled: q.length >= 2 }}
    />
  );
}
