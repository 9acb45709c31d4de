import { useState } from 'react';
import { Button, Group, Modal, Paper, Select, Skeleton, Stack, Table, Text, TextInput, Textarea, Badge } from '@mantine/core';
import { IconHourglass, IconPlus } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import type { PatientSummary } from '@sanita/contracts/patients';
import { ApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { issueMessage } from '../../../lib/validation.ts';
import { fullName } from '../../../lib/labels.ts';
import { localName, useSpecialties, useVisitTypes } from '../api/masterdata.ts';
import { usePractitioners } from '../api/practitioners.ts';
import {
  useAddToWaitlist,
  useWaitlist,
  useWaitlistAction,
  WAITLIST_STATUSES,
  type WaitlistEntry,
  type WaitlistStatus,
} from '../api/waitlist.ts';
import { PatientPicker } from '../components/PatientPicker.tsx';
import { notifyScheduleError } from '../lib/errors.ts';

const STATUS_COLOR: Record<WaitlistStatus, string> = { waiting: 'blue', offered: 'orange', booked: 'green', cancelled: 'gray' };

export function WaitlistPage() {
  const { t, i18n } = useTranslation('scheduling');
  const { can, activeClinic } = useAuth();
  const f = useFormatters();
  const zone = activeClinic?.timezone ?? dayjs.tz.guess();
  const language = i18n.resolvedLanguage ?? 'en';
  const [status, setStatus] = useState<WaitlistStatus | null>(null);
  const [adding, setAdding] = useState(false);
  const list = useWaitlist(status);
  const action = useWaitlistAction();
  const canWrite = can('appointments:write');
  const at = (iso: string) => dayjs(iso).tz(zone).locale(language);

  const run = (entry: WaitlistEntry, kind: 'cancel' | 'accept' | 'decline') =>
    action.mutate(
      { id: entry.id, action: kind },
      {
        onSuccess: () =>
          notifySuccess(
            kind === 'accept' ? t('waitlist.accepted') : kind === 'decline' ? t('waitlist.declined') : t('waitlist.cancelled'),
          ),
        onError: (err) => notifyScheduleError(err, t),
      },
    );

  const wants = (e: WaitlistEntry) =>
    e.practitioner?.displayName ?? (e.specialty ? localName(e.specialty, language) : t('waitlist.anyPractitioner'));

  return (
    <>
      <PageHeader
        title={t('waitlist.title')}
        description={t('waitlist.subtitle')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              {t('waitlist.add')}
            </Button>
          )
        }
      />
      <Paper p="sm" mb="md">
        <Select
          label={t('waitlist.statusFilter')}
          placeholder={t('waitlist.allStatuses')}
          data={WAITLIST_STATUSES.map((s) => ({ value: s, label: t(`waitlist.statuses.${s}`) }))}
          value={status}
          onChange={(v) => setStatus(v as WaitlistStatus | null)}
          clearable
          w={220}
        />
      </Paper>
      {list.isPending ? (
        <Stack aria-busy>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} h={44} />
          ))}
        </Stack>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={<IconHourglass size={22} />}
          title={t('waitlist.emptyTitle')}
          description={t('waitlist.empty')}
          action={
            canWrite && (
              <Button variant="light" onClick={() => setAdding(true)}>
                {t('waitlist.add')}
              </Button>
            )
          }
        />
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('waitlist.patient')}</Table.Th>
                  <Table.Th>{t('waitlist.wants')}</Table.Th>
                  <Table.Th>{t('waitlist.visitType')}</Table.Th>
                  <Table.Th>{t('waitlist.window')}</Table.Th>
                  <Table.Th>{t('waitlist.status')}</Table.Th>
                  <Table.Th>{t('waitlist.offer')}</Table.Th>
                  {canWrite && <Table.Th>{t('waitlist.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {e.patient.name}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {e.patient.mrn}
                      </Text>
                    </Table.Td>
                    <Table.Td>{wants(e)}</Table.Td>
                    <Table.Td>{localName(e.visitType, language)}</Table.Td>
                    <Table.Td>{t('waitlist.windowText', { from: f.date(e.earliest), to: f.date(e.latest) })}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge variant="light" color={STATUS_COLOR[e.status]}>
                        {t(`waitlist.statuses.${e.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {e.offer
                        ? t('waitlist.offerText', {
                            when: at(e.offer.startsAt).format('ll HH:mm'),
                            until: at(e.offer.holdExpiresAt).format('HH:mm'),
                          })
                        : '—'}
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          {e.status === 'offered' && (
                            <>
                              <Button
                                size="xs"
                                onClick={() => run(e, 'accept')}
                                loading={action.isPending && action.variables.id === e.id}
                              >
                                {t('waitlist.accept')}
                              </Button>
                              <Button size="xs" variant="default" onClick={() => run(e, 'decline')}>
                                {t('waitlist.decline')}
                              </Button>
                            </>
                          )}
                          {(e.status === 'waiting' || e.status === 'offered') && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              aria-label={t('waitlist.cancelLabel', { patient: e.patient.name })}
                              onClick={() => run(e, 'cancel')}
                            >
                              {t('waitlist.cancel')}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    )}
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
        title={t('waitlist.addTitle')}
        centered
        size="lg"
      >
        {adding && <AddForm onClose={() => setAdding(false)} />}
      </Modal>
    </>
  );
}

function AddForm({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation('scheduling');
  const { activeClinic } = useAuth();
  const language = i18n.resolvedLanguage ?? 'en';
  const add = useAddToWaitlist();
  const practitioners = usePractitioners({ clinicId: activeClinic?.id });
  const specialties = useSpecialties();
  const visitTypes = useVisitTypes();
  const today = dayjs()
    .tz(activeClinic?.timezone ?? dayjs.tz.guess())
    .format('YYYY-MM-DD');
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [practitionerId, setPractitionerId] = useState<string | null>(null);
  const [specialtyId, setSpecialtyId] = useState<string | null>(null);
  const [visitTypeId, setVisitTypeId] = useState<string | null>(null);
  const [earliest, setEarliest] = useState(today);
  const [latest, setLatest] = useState(dayjs(today).add(14, 'day').format('YYYY-MM-DD'));
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local: Record<string, string> = {};
        if (!patient) local.patientId = t('booking.choosePatient');
        if (!practitionerId && !specialtyId) local.practitionerId = t('waitlist.chooseTarget');
        if (!visitTypeId) local.visitTypeId = t('validation.required');
        if (!earliest) local.earliest = t('validation.required');
        if (!latest) local.latest = t('validation.required');
        setErrors(local);
        if (!patient || !visitTypeId || Object.keys(local).length > 0) return;
        add.mutate(
          {
            patientId: patient.id,
            practitionerId,
            specialtyId: practitionerId ? null : specialtyId,
            visitTypeId,
            earliest,
            latest,
            notes: notes.trim() || undefined,
          },
          {
            onSuccess: () => {
              notifySuccess(t('waitlist.added', { patient: fullName(patient) }));
              onClose();
            },
            onError: (err) => {
              const issues = err instanceof ApiError ? err.fieldIssues : [];
              const placed: Record<string, string> = {};
              for (const i of issues) placed[i.field.replace(/^\//, '')] = issueMessage(i, t);
              if (issues.length > 0) setErrors(placed);
              else notifyError(err, t);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <PatientPicker value={patient} onChange={setPatient} error={errors.patientId} autoFocus />
        <Group grow align="flex-start">
          <Select
            label={t('waitlist.target')}
            placeholder={t('waitlist.anyPractitioner')}
            data={(practitioners.data ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
            value={practitionerId}
            onChange={setPractitionerId}
            clearable
            searchable
            error={errors.practitionerId}
          />
          <Select
            label={t('waitlist.targetSpecialty')}
            data={(specialties.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: localName(s, language) }))}
            value={specialtyId}
            onChange={setSpecialtyId}
            clearable
            disabled={!!practitionerId}
            error={errors.specialtyId}
          />
        </Group>
        <Select
          label={t('waitlist.visitType')}
          withAsterisk
          data={(visitTypes.data ?? []).filter((v) => v.active).map((v) => ({ value: v.id, label: localName(v, language) }))}
          value={visitTypeId}
          onChange={setVisitTypeId}
          error={errors.visitTypeId}
        />
        <Group grow>
          <TextInput
            type="date"
            label={t('waitlist.earliest')}
            withAsterisk
            value={earliest}
            onChange={(e) => setEarliest(e.currentTarget.value)}
            error={errors.earliest}
          />
          <TextInput
            type="date"
            label={t('waitlist.latest')}
            withAsterisk
            value={latest}
            onChange={(e) => setLatest(e.currentTarget.value)}
            error={errors.latest}
          />
        </Group>
        <Textarea
          label={t('waitlist.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errors.notes}
          maxLength={1000}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('waitlist.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
