import { Alert, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useDuplicateCheck } from '../api/patients.ts';
import { PatientMiniRow } from './PatientMiniRow.tsx';

interface DuplicatePanelProps {
  givenName: string;
  familyName: string;
  birthDate: string;
  phone: string;
}

/** Warns while the form is filled in that this person may already have a record. */
export function DuplicatePanel(props: DuplicatePanelProps) {
  const { t } = useTranslation('patients');
  const [params] = useDebouncedValue(props, 400);
  const check = useDuplicateCheck(params);
  const candidates = check.data?.data ?? [];

  return (
    <div aria-live="polite">
      {candidates.length === 0 && (
        <Paper p="md" bg="transparent" style={{ borderStyle: 'dashed' }}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconCopy size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
            <div>
              <Text size="sm" fw={600}>
                {t('patients.duplicates.idleTitle')}
              </Text>
              <Text size="sm" c="dimmed">
                {check.isFetching
                  ? t('patients.duplicates.checking')
                  : check.isSuccess
                    ? t('patients.duplicates.none')
                    : t('patients.duplicates.idle')}
              </Text>
            </div>
          </Group>
        </Paper>
      )}
      {candidates.length > 0 && (
        <Alert
          color="orange"
          icon={<IconCopy aria-hidden />}
          title={t('patients.duplicates.title', { count: candidates.length })}
        >
          <Text size="sm" mb="sm">
            {t('patients.duplicates.help')}
          </Text>
          <Stack gap="sm" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {candidates.slice(0, 5).map((c) => (
              <Group key={c.id} component="li" justify="space-between" wrap="nowrap" align="flex-start">
                <PatientMiniRow patient={c} newTab />
                <Badge variant="outline" color="orange" style={{ flexShrink: 0 }}>
                  {t('patients.duplicates.score', { score: Math.round(c.score * 100) })}
                </Badge>
              </Group>
            ))}
          </Stack>
        </Alert>
      )}
    </div>
  );
}
