import { useState } from 'react';
import { ActionIcon, Badge, Group, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Icd10Picker, type Icd10Code } from '../../terminology/index.ts';
import type { DiagnosisInput } from '../api/notes.ts';

/**
 * The encounter's diagnoses while the note is a draft: ICD-10-CM code and description, one of them
 * primary (a radio), each removable; a code is added with the terminology's ICD-10-CM picker (code or words).
 */
export function DiagnosesEditor({
  value,
  onChange,
  error,
}: {
  value: DiagnosisInput[];
  onChange: (next: DiagnosisInput[]) => void;
  error?: string | null;
}) {
  const { t } = useTranslation('notes');
  const [picked, setPicked] = useState<Icd10Code | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const primary = value.find((d) => d.rank === 'primary')?.code ?? null;

  const add = (c: Icd10Code | null) => {
    setPicked(c);
    if (!c) return;
    if (value.some((d) => d.code === c.code)) {
      setPickError(t('diagnoses.duplicate'));
      return;
    }
    const rank = value.some((d) => d.rank === 'primary') ? 'secondary' : 'primary';
    onChange([...value, { code: c.code, description: c.description, rank }]);
    setPickError(null);
    // the picker is ready for the next code
    setTimeout(() => setPicked(null), 0);
  };

  const makePrimary = (c: string) => onChange(value.map((d) => ({ ...d, rank: d.code === c ? 'primary' : 'secondary' })));
  const remove = (c: string) => {
    const rest = value.filter((d) => d.code !== c);
    // the first remaining diagnosis becomes primary when the primary goes
    if (rest.length && !rest.some((d) => d.rank === 'primary')) rest[0] = { ...rest[0]!, rank: 'primary' };
    onChange(rest);
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby="diagnoses-title" data-testid="diagnoses">
      <Title order={3} size="h5" id="diagnoses-title">
        {t('diagnoses.title')}
      </Title>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('diagnoses.empty')}
        </Text>
      ) : (
        <Radio.Group value={primary} onChange={makePrimary} aria-label={t('diagnoses.primary')}>
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {value.map((d) => (
                <Table.Tr key={d.code}>
                  <Table.Td w={90}>
                    <Text ff="monospace" fw={600} size="sm">
                      {d.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.description || '—'}</Text>
                  </Table.Td>
                  <Table.Td w={130}>
                    <Radio
                      value={d.code}
                      label={d.rank === 'primary' ? t('diagnoses.primary') : t('diagnoses.secondary')}
                      aria-label={t('diagnoses.makePrimary', { code: d.code })}
                    />
                  </Table.Td>
                  <Table.Td w={40}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => remove(d.code)}
                      aria-label={t('diagnoses.remove', { code: d.code })}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Radio.Group>
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      <Icd10Picker value={picked} onChange={add} label={t('diagnoses.add')} error={pickError} />
    </Stack>
  );
}

/** The diagnoses of a signed note, read only. */
export function DiagnosesList({ value }: { value: { code: string; description: string; rank: string }[] }) {
  const { t } = useTranslation('notes');
  if (!value.length) return null;
  return (
    <Stack gap={4} component="section" aria-label={t('diagnoses.title')}>
      <Title order={3} size="h5">
        {t('diagnoses.title')}
      </Title>
      {value.map((d) => (
        <Group key={d.code} gap="xs">
          <Text ff="monospace" fw={600} size="sm">
            {d.code}
          </Text>
          <Text size="sm">{d.description}</Text>
          {d.rank === 'primary' && (
            <Badge size="sm" variant="light">
              {t('diagnoses.primary')}
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  );
}
