import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Patient } from '@sanita/contracts/patients';
import { useFormatters } from '../lib/dates.ts';
import { InfoItem, InfoList } from './InfoList.tsx';
import { MaskedValue } from './MaskedValue.tsx';

/** "CD" → "Congo - Kinshasa" in the UI language; the code itself if the browser cannot name it. */
function countryName(code: string | null | undefined, language = 'en'): string | null {
  if (!code) return null;
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

interface PatientDetailsProps {
  patient: Patient;
  clinicName?: string | null;
  /** Heading level of the section titles, so the page keeps its outline in order. */
  headingOrder?: 2 | 3;
}

/** Demographics, contacts and emergency contacts of one record, for staff and for the patient. */
export function PatientDetails({ patient, clinicName, headingOrder = 2 }: PatientDetailsProps) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const address = patient.address;
  const addressText = address
    ? [address.line, address.city, address.region, countryName(address.country, i18n.resolvedLanguage)].filter(Boolean).join(', ')
    : '';

  return (
    <Stack gap="md">
      <Paper p="md">
        <Title order={headingOrder} mb="sm">
          {t('patient.sections.demographics')}
        </Title>
        <InfoList>
          <InfoItem label={t('patient.fields.givenName')}>{patient.givenName}</InfoItem>
          <InfoItem label={t('patient.fields.middleName')}>{patient.middleName}</InfoItem>
          <InfoItem label={t('patient.fields.familyName')}>{patient.familyName}</InfoItem>
          <InfoItem label={t('patient.fields.sex')}>{t(`sex.${patient.sex}`)}</InfoItem>
          <InfoItem label={t('patient.fields.birthDate')}>
            {f.date(patient.birthDate)} ({f.age(patient.birthDate)})
          </InfoItem>
          <InfoItem label={t('patient.fields.mrn')}>
            <Text component="span" size="sm" ff="monospace">
              {patient.mrn}
            </Text>
          </InfoItem>
          <InfoItem label={t('patient.fields.preferredLanguage')}>
            {patient.preferredLanguage
              ? t(`languages.${patient.preferredLanguage}`, { defaultValue: patient.preferredLanguage })
              : null}
          </InfoItem>
          <InfoItem label={t('patient.fields.bloodType')}>{patient.bloodType}</InfoItem>
          <InfoItem label={t('patient.fields.nationalId')}>
            {patient.nationalId ? <MaskedValue value={patient.nationalId} label={t('patient.fields.nationalId')} /> : null}
          </InfoItem>
          {clinicName !== undefined && <InfoItem label={t('patient.fields.primaryClinic')}>{clinicName}</InfoItem>}
          {patient.deceasedAt && <InfoItem label={t('patient.fields.deceasedAt')}>{f.date(patient.deceasedAt)}</InfoItem>}
        </InfoList>
      </Paper>

      <Paper p="md">
        <Title order={headingOrder} mb="sm">
          {t('patient.sections.contacts')}
        </Title>
        <InfoList>
          <InfoItem label={t('patient.fields.phones')}>{patient.phones.length ? patient.phones.join(', ') : null}</InfoItem>
          <InfoItem label={t('patient.fields.email')}>{patient.email}</InfoItem>
          <InfoItem label={t('patient.fields.address')}>{addressText}</InfoItem>
        </InfoList>
      </Paper>

      <Paper p="md">
        <Title order={headingOrder} mb="sm">
          {t('patient.sections.emergencyContacts')}
        </Title>
        {patient.emergencyContacts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('patient.noEmergencyContacts')}
          </Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('patient.fields.contactName')}</Table.Th>
                <Table.Th scope="col">{t('patient.fields.relationship')}</Table.Th>
                <Table.Th scope="col">{t('patient.fields.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {patient.emergencyContacts.map((c, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.relationship ?? '—'}</Table.Td>
                  <Table.Td>{c.phone ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
