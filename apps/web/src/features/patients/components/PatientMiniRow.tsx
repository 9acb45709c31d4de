import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import type { PatientSummary } from '@sanita/contracts/patients';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';

/** One patient in a short list: enough to tell two people with the same name apart. */
export function PatientMiniRow({ patient, newTab = false }: { patient: PatientSummary; newTab?: boolean }) {
  const { t } = useTranslation('patients');
  const f = useFormatters();
  return (
    <Stack gap={0}>
      <Group gap={6}>
        <Anchor
          component={Link}
          to={`/patients/${patient.id}`}
          fw={600}
          size="sm"
          {...(newTab ? { target: '_blank', rel: 'noopener' } : {})}
        >
          {fullName(patient)}
        </Anchor>
        {patient.status !== 'active' && <PatientStatusBadge status={patient.status} />}
      </Group>
      <Text size="xs" c="dimmed">
        {patient.mrn} · {t(`sex.${patient.sex}`)} · {f.date(patient.birthDate)} ({f.age(patient.birthDate)})
        {patient.phones[0] ? ` · ${patient.phones[0]}` : ''}
      </Text>
    </Stack>
  );
}
