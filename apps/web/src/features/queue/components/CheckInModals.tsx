import { useEffect, useState } from 'react';
import { Anchor, Button, Group, Modal, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconTicket } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '@sanita/contracts/patients';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { CheckInEligibility } from '../../claims/index.ts';
import { usePatient } from '../../patients/index.ts';
import { useCheckIn, useWalkIn, type ServicePoint, type TicketPriority } from '../api/queue.ts';
import { usePatientLookup, type FrontDeskAppointment } from '../api/frontDesk.ts';
import { devicePrefs } from '../lib/devicePrefs.ts';
import { notifyQueueError } from '../lib/queueErrors.ts';
import { clockTime, todayIn } from '../lib/time.ts';
import type { Issued } from './IssuedTicket.tsx';
import { ageOn, priorityFits, PriorityPicker, type PriorityPatient } from './PriorityPicker.tsx';
import { ServicePointChoice } from './ServicePointSelect.tsx';

/** A chosen priority the patient turns out not to fit goes back to normal (the picker says why). */
function useFittingPriority(patient: PriorityPatient) {
  const [priority, setPriority] = useState<TicketPriority>('normal');
  useEffect(() => {
    if (!priorityFits(priority, patient)) setPriority('normal');
  }, [priority, patient]);
  return [priority, setPriority] as const;
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
  onIssued,
}: {
  appointment: FrontDeskAppointment | null;
  servicePoints: ServicePoint[];
  onClose: () => void;
  onIssued: (issued: Issued) => void;
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
        <CheckInForm
          key={appointment.id}
          appointment={appointment}
          servicePoints={servicePoints}
          onClose={onClose}
          onIssued={onIssued}
        />
      )}
    </Modal>
  );
}

function CheckInForm({
  appointment,
  servicePoints,
  onClose,
  onIssued,
}: {
  appointment: FrontDeskAppointment;
  servicePoints: ServicePoint[];
  onClose: () => void;
  onIssued: (issued: Issued) => void;
}) {
  const { t } = useTranslation('queue');
  const { activeClinic } = useAuth();
  const clinicId = activeClinic?.id ?? '';
  const checkIn = useCheckIn();
  const record = usePatient(appointment.patient.id);
  const today = todayIn(activeClinic?.timezone);
  const fits: PriorityPatient = record.data ? { sex: record.data.sex, age: ageOn(record.data.birthDate, today) } : null;
  const [servicePointId, setServicePointId] = useState<string | null>(() => defaultServicePoint(clinicId, servicePoints));
  const [priority, setPriority] = useFittingPriority(fits);
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
              onIssued({ result, patient: appointment.patient.name });
              onClose();
            },
            onError: (err) => notifyQueueError(err, t),
          },
        );
      }}
    >
      <Stack gap="md">
        <Paper p="sm" bg="gray.0">
          <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
            <Text fw={600}>{appointment.patient.name}</Text>
            {/* the insurance answer the receptionist tells the patient at the desk (coverage:read only) */}
            <CheckInEligibility patientId={appointment.patient.id} />
          </Group>
          <Text size="sm" c="dimmed">
            {appointment.patient.mrn} · {clockTime(appointment.startsAt, activeClinic?.timezone)} ·{' '}
            {appointment.practitioner.displayName}
          </Text>
        </Paper>
        <ServicePointChoice
          servicePoints={servicePoints}
          value={servicePointId}
          onChange={(v) => {
            setServicePointId(v);
            setError(undefined);
          }}
          error={error}
          // Not the submit button: the Enter that opened this dialog must not also confirm it.
          autoFocus
        />
        <PriorityPicker value={priority} onChange={setPriority} patient={fits} />
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
  onIssued,
}: {
  opened: boolean;
  servicePoints: ServicePoint[];
  onClose: () => void;
  onIssued: (issued: Issued) => void;
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
      {opened && <WalkInForm servicePoints={servicePoints} onClose={onClose} onIssued={onIssued} />}
    </Modal>
  );
}

function patientOptionLabel(p: PatientSummary, date: (d: string) => string): string {
  return `${fullName(p)} · ${p.mrn} · ${date(p.birthDate)}`;
}

function WalkInForm({
  servicePoints,
  onClose,
  onIssued,
}: {
  servicePoints: ServicePoint[];
  onClose: () => void;
  onIssued: (issued: Issued) => void;
}) {
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
  const fits: PriorityPatient = patient
    ? { sex: patient.sex, age: ageOn(patient.birthDate, todayIn(activeClinic?.timezone)) }
    : null;
  const [priority, setPriority] = useFittingPriority(fits);
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
              onIssued({ result, patient: fullName(patient) });
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
        {patient && (
          <Group gap="xs">
            <CheckInEligibility key={patient.id} patientId={patient.id} />
          </Group>
        )}
        {can('patients:write') && (
          <Text size="xs" c="dimmed">
            {t('frontDesk.walkIn.notFound')}{' '}
            <Anchor component={Link} to="/patients/new" size="xs" target="_blank" rel="noopener" underline="always">
              {t('patients:patients.register')}
            </Anchor>
          </Text>
        )}
        <ServicePointChoice
          servicePoints={servicePoints}
          value={servicePointId}
          onChange={(v) => {
            setServicePointId(v);
            setErrors((e) => ({ ...e, servicePoint: undefined }));
          }}
          error={errors.servicePoint}
        />
        <PriorityPicker value={priority} onChange={setPriority} patient={fits} />
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
