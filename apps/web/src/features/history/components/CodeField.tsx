import { TextInput } from '@mantine/core';
import { ICD10_PATTERN } from '@sanita/contracts/history';

/**
 * The ICD-10-CM code of a problem, typed (checked by the server against the code set). `onChange`
 * gives the code and, when known, its description.
 */
export function CodeField({
  label,
  description,
  value,
  onChange,
  error,
}: {
  label: string;
  description?: string;
  value: string;
  onChange: (code: string, description?: string) => void;
  error?: React.ReactNode;
}) {
  return (
    <TextInput
      label={label}
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.toUpperCase())}
      error={error}
      maxLength={8}
      pattern={ICD10_PATTERN}
      autoComplete="off"
      data-autofocus
      ff="monospace"
      w={{ base: '100%', sm: 200 }}
    />
  );
}
