import { useTranslation } from 'react-i18next';
import type { CvxCode } from '@sanita/contracts/terminology';
import { useCvxSearch } from '../api/terminology.ts';
import { CodePicker, pickerLabel, usePickerSearch, type CodePickerProps } from './CodePicker.tsx';

/** What a CVX code is called in the picker and in lists: CDC's short description ('MMR'). */
export const cvxLabel = (c: Pick<CvxCode, 'shortDescription'>) => c.shortDescription;

/**
 * Choose a vaccine by its CDC CVX code: type words of its name ('measles', 'hep b') or its code;
 * with nothing typed, the active vaccines. Names are CDC's, in English only.
 */
export function CvxPicker(props: CodePickerProps<CvxCode>) {
  const { t } = useTranslation('terminology');
  const search = usePickerSearch(props.value ? pickerLabel(props.value.code, cvxLabel(props.value)) : null);
  const result = useCvxSearch(search.debounced.trim());
  return (
    <CodePicker<CvxCode>
      {...props}
      codeOf={(c) => c.code}
      textOf={(c) => `${cvxLabel(c)}`}
      markOf={(c) => (c.status === 'Active' ? null : t(`cvx.statuses.${c.status}`, { defaultValue: c.status }))}
      placeholder={t('cvx.placeholder')}
      help={t('cvx.help')}
      search={search}
      found={{ items: result.data?.data ?? [], fetching: result.isFetching, enabled: true }}
      openEmpty
    />
  );
}
