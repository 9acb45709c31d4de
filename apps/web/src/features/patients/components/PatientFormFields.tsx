import {
  ActionIcon,
  Button,
  Group,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { BLOOD_TYPES, SEXES } from '@sanita/contracts/patients';
import { ISO_DATE } from '../../../lib/dates.ts';
import { PREFERRED_LANGUAGES, type PatientFormValues } from './patientForm.ts';

/** Every field of a patient record, shared by registration and editing. */
export function PatientFormFields({
  form,
  autoFocus = true,
}: {
  form: UseFormReturnType<PatientFormValues>;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('patients');
  const values = form.getValues();
  const today = dayjs().format(ISO_DATE);

  return (
    <Stack gap="md">
      <Paper p="md">
        <Title order={2} mb="sm">
          {t('patient.sections.identity')}
        </Title>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput
              label={t('patient.fields.givenName')}
              required
              autoFocus={autoFocus}
              autoComplete="off"
              {...form.getInputProps('givenName')}
            />
            <TextInput label={t('patient.fields.middleName')} autoComplete="off" {...form.getInputProps('middleName')} />
            <TextInput label={t('patient.fields.familyName')} required autoComplete="off" {...form.getInputProps('familyName')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput
              label={t('patient.fields.birthDate')}
              type="date"
              max={today}
              required
              {...form.getInputProps('birthDate')}
            />
            <Radio.Group label={t('patient.fields.sex')} required {...form.getInputProps('sex')} style={{ gridColumn: 'span 2' }}>
              <Group gap="md" mt={8}>
                {SEXES.map((s) => (
                  <Radio key={s} value={s} label={t(`sex.${s}`)} />
                ))}
              </Group>
            </Radio.Group>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NativeSelect
              label={t('patient.fields.preferredLanguage')}
              data={[
                { value: '', label: t('common.notSpecified') },
                ...PREFERRED_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) })),
              ]}
              {...form.getInputProps('preferredLanguage')}
            />
            <NativeSelect
              label={t('patient.fields.bloodType')}
              data={[{ value: '', label: t('common.unknown') }, ...BLOOD_TYPES.map((b) => ({ value: b, label: b }))]}
              {...form.getInputProps('bloodType')}
            />
            <TextInput
              label={t('patient.fields.nationalId')}
              description={t('patient.nationalIdHelp')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              autoComplete="off"
              spellCheck={false}
              {...form.getInputProps('nationalId')}
            />
          </SimpleGrid>
        </Stack>
      </Paper>

      <Paper p="md">
        <Title order={2} mb="sm">
          {t('patient.sections.contacts')}
        </Title>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            {values.phones.map((_, i) => (
              <Group key={i} gap={4} align="flex-end" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  label={values.phones.length > 1 ? t('patient.fields.phoneN', { n: i + 1 }) : t('patient.fields.phone')}
                  type="tel"
                  autoComplete="off"
                  {...form.getInputProps(`phones.${i}`)}
                />
                {values.phones.length > 1 && (
                  <Tooltip label={t('patient.removePhone', { n: i + 1 })}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="lg"
                      mb={1}
                      aria-label={t('patient.removePhone', { n: i + 1 })}
                      onClick={() => form.removeListItem('phones', i)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
            ))}
            <TextInput label={t('patient.fields.email')} type="email" autoComplete="off" {...form.getInputProps('email')} />
          </SimpleGrid>
          {values.phones.length < 5 && (
            <Group>
              <Button
                variant="subtle"
                size="compact-sm"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => form.insertListItem('phones', '')}
              >
                {t('patient.addPhone')}
              </Button>
            </Group>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
            <TextInput label={t('patient.fields.addressLine')} autoComplete="off" {...form.getInputProps('address.line')} />
            <TextInput label={t('patient.fields.city')} autoComplete="off" {...form.getInputProps('address.city')} />
            <TextInput label={t('patient.fields.region')} autoComplete="off" {...form.getInputProps('address.region')} />
            <TextInput
              label={t('patient.fields.country')}
              description={t('patient.countryHelp')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              autoComplete="off"
              maxLength={2}
              {...form.getInputProps('address.country')}
              onChange={(e) => form.setFieldValue('address.country', e.currentTarget.value.toUpperCase())}
            />
          </SimpleGrid>
        </Stack>
      </Paper>

      <Paper p="md">
        <Title order={2} mb="sm">
          {t('patient.sections.emergencyContacts')}
        </Title>
        <Stack gap="sm">
          {values.emergencyContacts.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('patient.noEmergencyContactsForm')}
            </Text>
          )}
          {values.emergencyContacts.map((_, i) => (
            <Group key={i} gap="sm" align="flex-end" wrap="nowrap">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" style={{ flex: 1 }}>
                <TextInput
                  label={t('patient.fields.contactNameN', { n: i + 1 })}
                  autoComplete="off"
                  {...form.getInputProps(`emergencyContacts.${i}.name`)}
                />
                <TextInput
                  label={t('patient.fields.relationshipN', { n: i + 1 })}
                  autoComplete="off"
                  {...form.getInputProps(`emergencyContacts.${i}.relationship`)}
                />
                <TextInput
                  label={t('patient.fields.contactPhoneN', { n: i + 1 })}
                  type="tel"
                  autoComplete="off"
                  {...form.getInputProps(`emergencyContacts.${i}.phone`)}
                />
              </SimpleGrid>
              <Tooltip label={t('patient.removeContact', { n: i + 1 })}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  mb={1}
                  aria-label={t('patient.removeContact', { n: i + 1 })}
                  onClick={() => form.removeListItem('emergencyContacts', i)}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
          {values.emergencyContacts.length < 5 && (
            <Group>
              <Button
                variant="subtle"
                size="compact-sm"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => form.insertListItem('emergencyContacts', { name: '', relationship: '', phone: '' })}
              >
                {t('patient.addContact')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
