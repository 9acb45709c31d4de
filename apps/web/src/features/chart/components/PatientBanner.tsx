import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import type { Patient } from '../api/vitals.ts';

/**
 * Who this chart is about, kept in view while scrolling: name, sex, age, birth date and MRN, then what the
 * features add (allergies, open alerts) as children.
 */
export function PatientBanner({ patient, children }: { patient: Patient; children?: ReactNode }) {
  const { t } = useTranslation('chart');
  const f = useFormatters();
  return (
    <Paper
      component="section"
      aria-label={t('chart.bannerLabel')}
      p="sm"
      mb="md"
      withBorder
      data-testid="patient-banner"
      style={{ position: 'sticky', top: 'var(--app-shell-header-height, 52px)', zIndex: 5 }}
    >
      <Group wrap="wrap" align="baseline" style={{ columnGap: 'var(--mantine-spacing-md)', rowGap: 2 }}>
        <Title order={1} size="h3">
          {fullName(patient)}
        </Title>
        <Text size="sm">
          {t(`sex.${patient.sex}`)} · {f.age(patient.birthDate)}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            {t('patient.fields.birthDate')}
          </Text>{' '}
          {f.date(patient.birthDate)}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            {t('patient.fields.mrn')}
          </Text>{' '}
          <Text span ff="monospace" fw={600} data-testid="patient-mrn">
            {patient.mrn}
          </Text>
        </Text>
        {patient.status !== 'active' && <PatientStatusBadge status={patient.status} />}
        {children}
      </Group>
    </Paper>
  );
}
