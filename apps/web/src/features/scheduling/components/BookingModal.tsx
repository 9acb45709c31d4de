import { useState } from 'react';
import { Alert, Button, Group, Modal, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconCalendarPlus } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '@sanita/contracts/patients';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { fullName } from '../../../lib/labels.ts';
import { useBookAppointment } from '../api/appointments.ts';
import { localName, type VisitType } from '../api/masterdata.ts';
import { conflictMessage } from '../lib/errors.ts';
import { PatientPicker } from './PatientPicker.tsx';

export interface BookingTarget {
  practitionerId: string;
  practitionerName: string;
  startsAt: string;
  visitTypeId: string | null;
}

/** Quick booking from a free slot of the calendar. */
export function BookingModal({
  target,
  visitTypes,
  timezone,
  onClose,
}: {
  target: BookingTarget | null;
  visitTypes: VisitType[];
  timezone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('scheduling');
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!target}
      onClose={onClose}
      title={t('booking.title')}
      centered
      size="lg"
    >
      {target && (
        <BookingForm
          key={`${target.practitionerId}-${target.startsAt}`}
          target={target}
          visitTypes={visitTypes}
          timezone={timezone}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function BookingForm({
  target,
  visitTypes,
  timezone,
  onClose,
}: {
  target: BookingTarget;
  visitTypes: VisitType[];
  timezone: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('scheduling');
  const book = useBookAppointment();
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [visitTypeId, setVisitTypeId] = useState<string | null>(target.visitTypeId ?? visitTypes[0]?.id ?? null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ patientId?: string; visitTypeId?: string; reason?: string }>({});
  const [conflict, setConflict] = useState<string | null>(null);
  const local = dayjs(target.startsAt)
    .tz(timezone)
    .locale(i18n.resolvedLanguage ?? 'en');
  const when = t('booking.when', {
    date: local.format('dddd LL'),
    time: local.format('HH:mm'),
    practitioner: target.practitionerName,
  });

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const next = {
          patientId: patient ? undefined : t('booking.choosePatient'),
          visitTypeId: visitTypeId ? undefined : t('validation.required'),
        };
        setErrors(next);
        setConflict(null);
        if (!patient || !visitTypeId) return;
        book.mutate(
          {
            patientId: patient.id,
            practitionerId: target.practitionerId,
            visitTypeId,
            startsAt: target.startsAt,
            reason: reason.trim() || undefined,
          },
          {
            onSuccess: (appt) => {
              const key = appt.status === 'requested' ? 'booking.requested' : 'booking.booked';
              notifySuccess(t(key, { patient: fullName(patient), when: `${local.format('LL')} ${local.format('HH:mm')}` }));
              onClose();
            },
            onError: (err) => {
              const message = conflictMessage(err, t);
              if (message) {
                setConflict(message);
                return;
              }
              const issues = (err as { fieldIssues?: { field: string; message: string }[] }).fieldIssues ?? [];
              if (issues.length > 0) {
                const placed: typeof errors = {};
                for (const i of issues) {
                  if (i.field === 'patientId' || i.field === 'visitTypeId' || i.field === 'reason') placed[i.field] = i.message;
                }
                if (Object.keys(placed).length > 0) {
                  setErrors(placed);
                  return;
                }
              }
              setConflict(errorMessage(err, t));
            },
          },
        );
      }}
    >
      <Stack gap="md">
        <Paper p="sm" bg="gray.0">
          <Text fw={600}>{when}</Text>
        </Paper>
        {conflict && (
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title={t('conflict.title')} role="alert">
            {conflict}
          </Alert>
        )}
        <PatientPicker value={patient} onChange={setPatient} error={errors.patientId} autoFocus />
        <Select
          label={t('booking.visitType')}
          withAsterisk
          data={visitTypes.map((v) => ({
            value: v.id,
            label: `${localName(v, i18n.resolvedLanguage)} (${v.durationMinutes} min)`,
          }))}
          value={visitTypeId}
          onChange={setVisitTypeId}
          error={errors.visitTypeId}
          allowDeselect={false}
        />
        <Textarea
          label={t('booking.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          maxLength={500}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={book.isPending} leftSection={<IconCalendarPlus size={16} aria-hidden />}>
            {t('booking.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
