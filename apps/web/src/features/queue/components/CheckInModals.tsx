import { useState } from 'react';
import { Anchor, Button, Group, Modal, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconTicket } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { PatientSummary } from '@sanita/contracts/patients';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notify } from '../../../lib/errors.ts';
import { fullName } from '../../../lib/labels.ts';
import { useCheckIn, useWalkIn, type CheckInResult, type ServicePoint, type TicketPriority } from '../api/queue.ts';
import { usePatientLookup, type FrontDeskAppointment } from '../api/frontDesk.ts';
import { devicePrefs } from '../lib/devicePrefs.ts';
import { notifyQueueError } from '../lib/queueErrors.ts';
import { clockTime } from '../lib/time.ts';
import { PriorityPicker } from './PriorityPicker.tsx';
import { ServicePointSelect } from './ServicePointSelect.tsx';

/** The receptionist reads the ticket out to the patient: keep it on screen a while. */
function announceTicket(t: TFunction, result: CheckInResult, servicePoints: ServicePoint[], patient: string) {
  const sp = servicePoints.find((s) => s.id === result.ticket.servicePointId);
  notify({
    color: 'green',
    icon: <IconTicket size={18} aria-hidden />,
    title: t('frontDesk.ticketTitle', { code: result.ticket.code }),
    message: t('frontDesk.ticketMessage', { patient, servicePoint: sp?.name ?? '' }),
    autoClose: 15_000,
  });
}

function defaultServicePoint(clinicId: string, servicePoints: ServicePoint[]): string | null {
  const remembered = devicePrefs.checkInServicePoint(clinicId);
  const active = servicePoints.filter((sp) => sp.active);
  if (remembered && active.some((sp) => sp.id === remembered)) return remembered;
  return (active.find((sp) => sp.kind === 'triage') ?? active[0])?.id ?? null;
}

export function CheckInModal({
  appointment,
  servicePoints,
  onClose,
}: {
  appointment: FrontDeskAppointment | null;
  servicePoints: ServicePoint[];
  onClose: () => void;
}) {
  const { t } = useTranslation('queue');
  return (
    <Modal
      opened={!!appointment}
      onClose={onClose}
      title={t('frontDesk.checkIn.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      {appointment && (
        <CheckInForm key={appointment.id} appointment={appointment} servicePoints={servicePoints} onClose={onClose} />
      )}
    </Modal>
  );
}

function CheckInForm({
  appointment,
  servicePoints,
  onClose,
}: {
  appointment: FrontDeskAppointment;
  servicePoints: ServicePoint[];
  onClose: () => void;
}) {
  const { t } = useTranslation('queue');
  const { activeClinic } = useAuth();
  const clinicId = activeClinic?.id ?? '';
  const checkIn = useCheckIn();
  const [servicePointId, setServicePointId] = useState<string | null>(() => defaultServicePoint(clinicId, servicePoints));
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [error, setError] = useState<string | undefined>();

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!servicePointId) {
          setError(t('validation.required'));
          return;
        }
        devicePrefs.setCheckInServicePoint(clinicId, servicePointId);
        checkIn.mutate(
          { appointmentId: appointment.id, servicePointId, priority },
          {
            onSuccess: (result) => {
              announceTicket(t, result, servicePoints, appointment.patient.name);
              onClose();
            },
            onError: (err) => notifyQueueError(err, t),
          },
        );
      }}
    >
      <Stack gap="md">
        <Paper p="sm" bg="gray.0">
          <Text fw={600}>{appointment.patient.name}</Text>
          <Text size="sm" c="dimmed">
            {appointment.patient.mrn} · {clockTime(appointment.startsAt, activeClinic?.timezone)} ·{' '}
            {appointment.practitioner.displayName}
          </Text>
        </Paper>
        <ServicePointSelect
          servicePoints={servicePoints}
          value={servicePointId}
          onChange={(v) => {
            setServicePointId(v);
            setError(undefined);
          }}
          error={error}
          // Not the submit button: the Enter that opened this dialog must not also confirm it.
          data-autofocus
        />
        <PriorityPicker value={priority} onChange={setPriority} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={checkIn.isPending} leftSection={<IconTicket size={16} aria-hidden />}>
            {t('frontDesk.checkIn.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function WalkInModal({
  opened,
  servicePoints,
  onClose,
}: {
  opened: boolean;
  servicePoints: ServicePoint[];
  onClose: () => void;
}) {
  const { t } = useTranslation('queue');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('frontDesk.walkIn.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
      size="lg"
    >
      {opened && <WalkInForm servicePoints={servicePoints} onClose={onClose} />}
    </Modal>
  );
}

function patientOptionLabel(p: PatientSummary, date: (d: string) => string): string {
  return `${fullName(p)} · ${p.mrn} · ${date(p.birthDate)}`;
}

function WalkInForm({ servicePoints, onClose }: { servicePoints: ServicePoint[]; onClose: () => void }) {
  const { t } = useTranslation('queue');
  const f = useFormatters();
  const { activeClinic, can } = useAuth();
  const clinicId = activeClinic?.id ?? '';
  const walkIn = useWalkIn();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const lookup = usePatientLookup(debounced);
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [servicePointId, setServicePointId] = useState<string | null>(() => defaultServicePoint(clinicId, servicePoints));
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ patient?: string; servicePoint?: string; reason?: string }>({});

  const found = lookup.data?.data ?? [];
  // Keep the chosen patient among the options so the field still shows them after a new search.
  const options = patient && !found.some((p) => p.id === patient.id) ? [patient, ...found] : found;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const next = {
          patient: patient ? undefined : t('frontDesk.walkIn.choosePatient'),
          servicePoint: servicePointId ? undefined : t('validation.required'),
        };
        setErrors(next);
        if (!patient || !servicePointId) return;
        devicePrefs.setCheckInServicePoint(clinicId, servicePointId);
        walkIn.mutate(
          { patientId: patient.id, servicePointId, priority, reason: reason.trim() || undefined },
          {
            onSuccess: (result) => {
              announceTicket(t, result, servicePoints, fullName(patient));
              onClose();
            },
            onError: (err) => {
              const reasonIssue = (err as { fieldIssues?: { field: string; message: string }[] }).fieldIssues?.find(
                (i) => i.field === 'reason',
              );
              if (reasonIssue) setErrors({ reason: reasonIssue.message });
              else notifyQueueError(err, t);
            },
          },
        );
      }}
    >
      <Stack gap="md">
        <Select
          label={t('frontDesk.walkIn.patient')}
          placeholder={t('frontDesk.walkIn.patientPlaceholder')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options.map((p) => ({ value: p.id, label: patientOptionLabel(p, f.date) }))}
          // The server already matched names, MRNs and phones; do not filter its answer again.
          filter={({ options: all }) => all}
          value={patient?.id ?? null}
          onChange={(id) => {
            setPatient(options.find((p) => p.id === id) ?? null);
            setErrors((e) => ({ ...e, patient: undefined }));
          }}
          nothingFoundMessage={
            debounced.trim().length < 2
              ? t('frontDesk.walkIn.typeMore')
              : lookup.isFetching
                ? t('common.loading')
                : t('frontDesk.walkIn.noMatch')
          }
          leftSection={<IconSearch size={16} aria-hidden />}
          error={errors.patient}
          clearable
          data-autofocus
        />
        {can('patients:write') && (
          <Text size="xs" c="dimmed">
            {t('frontDesk.walkIn.notFound')}{' '}
            <Anchor component={Link} to="/patients/new" size="xs" target="_blank" rel="noopener">
              {t('patients:patients.register')}
            </Anchor>
          </Text>
        )}
        <ServicePointSelect
          servicePoints={servicePoints}
          value={servicePointId}
          onChange={(v) => {
            setServicePointId(v);
            setErrors((e) => ({ ...e, servicePoint: undefined }));
          }}
          error={errors.servicePoint}
        />
        <PriorityPicker value={priority} onChange={setPriority} />
        <Textarea
          label={t('frontDesk.walkIn.reason')}
          description={t('common.optional')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
          error={errors.reason}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={walkIn.isPending} leftSection={<IconTicket size={16} aria-hidden />}>
            {t('frontDesk.walkIn.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
