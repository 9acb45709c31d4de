import type { ReactNode } from 'react';
import { Icd10Picker, type Icd10Code } from '../../terminology/index.ts';

/**
 * The ICD-10-CM code of a problem, chosen with the terminology feature's picker (code or words);
 * `onChange` gives the code and its description, or nothing when cleared (a free-text problem).
 */
export function CodeField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: Icd10Code | null;
  onChange: (value: Icd10Code | null) => void;
  error?: ReactNode;
}) {
  return <Icd10Picker label={label} value={value} onChange={onChange} error={error} autoFocus />;
}
