import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch, IconStethoscope } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { localName, useSpecialties, useVisitTypes } from '../api/masterdata.ts';
import { usePractitioners, type Practitioner } from '../api/practitioners.ts';
import { PractitionerAdminForm } from '../components/PractitionerAdminForm.tsx';

export const LANGUAGE_CODES = ['fr', 'en', 'ln', 'sw', 'kg', 'lua'] as const;

export function formatFee(p: Pick<Practitioner, 'feeAmount' | 'feeCurrency'>, language: string): string | null {
  if (p.feeAmount === null) return null;
  return p.feeCurrency
    ? new Intl.NumberFormat(language, { style: 'currency', currency: p.feeCurrency }).format(p.feeAmount)
    : new Intl.NumberFormat(language).format(p.feeAmount);
}

/** "Tue 24 Nov 08:00" in the timezone of the clinic the slot is at. */
export function useSlotFormatter() {
  const { i18n } = useTranslation('scheduling');
  const clinics = useClinics();
  return (slot: { startsAt: string; clinicId: string }) => {
    const zone = clinics.data?.data.find((c) => c.id === slot.clinicId)?.timezone;
    const d = zone ? dayjs(slot.startsAt).tz(zone) : dayjs(slot.startsAt);
    return d.locale(i18n.resolvedLanguage ?? 'en').format('ddd D MMM HH:mm');
  };
}

export function PractitionersPage() {
  const { t, i18n } = useTranslation('scheduling');
  const language = i18n.resolvedLanguage ?? 'en';
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [specialtyId, setSpecialtyId] = useState<string | null>(null);
  const [clinicId, setClinicId] = useState<string | null>(null);
  const [lang, setLang] = useState<string | null>(null);
  const [visitTypeId, setVisitTypeId] = useState<string | null>(null);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [adding, setAdding] = useState(false);
  const { can } = useAuth();
  const canManage = can('settings:write');
  const specialties = useSpecialties();
  const visitTypes = useVisitTypes();
  const clinics = useClinics();
  const list = usePractitioners({ q: debounced, specialtyId, clinicId, language: lang, visitTypeId, includeInactive });
  const slotText = useSlotFormatter();
  const clinicName = (id: string) => clinics.data?.data.find((c) => c.id === id)?.name ?? '';

  return (
    <>
      <PageHeader
        title={t('practitioners.title')}
        description={t('practitioners.subtitle')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              {t('practitioners.admin.new')}
            </Button>
          )
        }
      />
      <Paper p="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('practitioners.search')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={220}
          />
          <Select
            label={t('practitioners.specialty')}
            placeholder={t('practitioners.any')}
            data={(specialties.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: localName(s, language) }))}
            value={specialtyId}
            onChange={setSpecialtyId}
            clearable
            searchable
            w={220}
          />
          <Select
            label={t('practitioners.clinic')}
            placeholder={t('practitioners.any')}
            data={(clinics.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={clinicId}
            onChange={setClinicId}
            clearable
            w={220}
          />
          <Select
            label={t('practitioners.language')}
            placeholder={t('practitioners.any')}
            data={LANGUAGE_CODES.map((c) => ({ value: c, label: t(`languages.${c}`) }))}
            value={lang}
            onChange={setLang}
            clearable
            w={160}
          />
          <Select
            label={t('practitioners.visitType')}
            placeholder={t('practitioners.any')}
            data={(visitTypes.data ?? []).filter((v) => v.active).map((v) => ({ value: v.id, label: localName(v, language) }))}
            value={visitTypeId}
            onChange={setVisitTypeId}
            clearable
            w={200}
          />
          <Switch
            label={t('practitioners.admin.showInactive')}
            checked={includeInactive}
            onChange={(e) => setIncludeInactive(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
      </Paper>
      {list.isPending ? (
        <Stack aria-busy>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} h={44} />
          ))}
        </Stack>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={<IconStethoscope size={22} />}
          title={t('practitioners.emptyTitle')}
          description={t('practitioners.empty')}
        />
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('practitioners.search')}</Table.Th>
                  <Table.Th>{t('practitioners.specialties')}</Table.Th>
                  <Table.Th>{t('practitioners.languages')}</Table.Th>
                  <Table.Th>{t('practitioners.clinics')}</Table.Th>
                  <Table.Th>{t('practitioners.fee')}</Table.Th>
                  <Table.Th>{t('practitioners.nextFree')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/practitioners/${p.id}`} fw={600}>
                        {p.displayName}
                      </Anchor>
                      {!p.active && (
                        <Badge ml="xs" color="gray" variant="light" size="sm">
                          {t('practitioners.inactive')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{p.specialties.map((s) => localName(s, language)).join(', ') || '—'}</Table.Td>
                    <Table.Td>{p.languages.map((l) => t(`languages.${l}`, { defaultValue: l })).join(', ') || '—'}</Table.Td>
                    <Table.Td>{p.clinicIds.map(clinicName).join(', ')}</Table.Td>
                    <Table.Td>{formatFee(p, language) ?? t('practitioners.noFee')}</Table.Td>
                    <Table.Td>
                      {p.nextFreeSlot ? (
                        <Text size="sm" fw={500} c="green.8">
                          {slotText(p.nextFreeSlot)}
                          {p.clinicIds.length > 1 ? ` · ${clinicName(p.nextFreeSlot.clinicId)}` : ''}
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('practitioners.noneFree')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('practitioners.admin.newTitle')}
        centered
      >
        {adding && <PractitionerAdminForm onClose={() => setAdding(false)} />}
      </Modal>
    </>
  );
}
