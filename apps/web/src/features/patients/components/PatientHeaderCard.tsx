import type { ReactNode } from 'react';
import { ActionIcon, Avatar, CopyButton, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconPhone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import type { Patient } from '@sanita/contracts/patients';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';

export function PatientHeaderCard({ patient, actions }: { patient: Patient; actions?: ReactNode }) {
  const { t } = useTranslation('patients');
  const f = useFormatters();
  const initials = `${patient.givenName[0] ?? ''}${patient.familyName[0] ?? ''}`.toUpperCase();
  return (
    <Paper p="md" mb="md">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Group gap="md" align="flex-start" wrap="nowrap">
          <Avatar size={56} radius="xl" color="brand" aria-hidden>
            {initials}
          </Avatar>
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={1}>{fullName(patient)}</Title>
              <PatientStatusBadge status={patient.status} />
            </Group>
            <Group gap="lg" wrap="wrap">
              <Group gap={2} wrap="nowrap">
                <Text size="sm" c="dimmed">
                  {t('patient.fields.mrn')}
                </Text>
                <Text size="sm" ff="monospace" fw={600} ml={4} data-testid="patient-mrn">
                  {patient.mrn}
                </Text>
                <CopyButton value={patient.mrn}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('common.copied') : t('patient.copyMrn')}>
                      <ActionIcon variant="subtle" color="gray" size="sm" onClick={copy} aria-label={t('patient.copyMrn')}>
                        {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Text size="sm">
                {t(`sex.${patient.sex}`)} · {f.age(patient.birthDate)}
              </Text>
              <Text size="sm">
                <Text span c="dimmed">
                  {t('patient.born')}
                </Text>{' '}
                {f.date(patient.birthDate)}
              </Text>
              {patient.phones.length > 0 && (
                <Group gap={4} wrap="nowrap">
                  <IconPhone size={14} aria-hidden />
                  <Text size="sm">{patient.phones.join(', ')}</Text>
                </Group>
              )}
            </Group>
          </Stack>
        </Group>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
    </Paper>
  );
}
