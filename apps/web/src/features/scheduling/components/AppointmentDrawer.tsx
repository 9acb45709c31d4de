import { useState } from 'react';
import { Anchor, Button, Divider, Drawer, Group, Select, Skeleton, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconCalendarCheck, IconCalendarX, IconCheck, IconClock, IconUserOff } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { StartConsultationButton } from '../../encounters/index.ts';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifySuccess } from '../../../lib/errors.ts';
import {
  useAppointment,
  useAppointmentAction,
  type Appointment,
  type AppointmentAction,
  type AppointmentReminder,
} from '../api/appointments.ts';
import { localName } from '../api/masterdata.ts';
import type { Practitioner } from '../api/practitioners.ts';
import { notifyScheduleError } from '../lib/errors.ts';
import { AppointmentStatusBadge } from './AppointmentStatusBadge.tsx';
import { RiskBadge } from './RiskBadge.tsx';

type Panel = 'none' | 'cancel' | 'reschedule';

/** Details of one appointment and what staff can do with it next. */
export function AppointmentDrawer({
  appointmentId,
  onClose,
  onOpen,
  timezone,
  practitioners,
}: {
  appointmentId: string | null;
  onClose: () => void;
  onOpen: (id: string) => void;
  timezone: string;
  practitioners: Practitioner[];
}) {
  const { t } = useTranslation('scheduling');
  return (
    <Drawer
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!appointmentId}
      onClose={onClose}
      position="right"
      size="md"
      title={t('appointment.drawerTitle')}
    >
      {appointmentId && (
        <DrawerBody
          key={appointmentId}
          id={appointmentId}
          onOpen={onOpen}
          onClose={onClose}
          timezone={timezone}
          practitioners={practitioners}
        />
      )}
    </Drawer>
  );
}

function DrawerBody({
  id,
  onOpen,
  onClose,
  timezone,
  practitioners,
}: {
  id: string;
  onOpen: (id: string) => void;
  onClose: () => void;
  timezone: string;
  practitioners: Practitioner[];
}) {
  const { t, i18n } = useTranslation('scheduling');
  const { can } = useAuth();
  const query = useAppointment(id);
  const action = useAppointmentAction();
  const [panel, setPanel] = useState<Panel>('none');

  if (query.isPending) {
    return (
      <Stack aria-busy>
        <Skeleton h={24} />
        <Skeleton h={160} />
      </Stack>
    );
  }
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data;
  const local = (iso: string) =>
    dayjs(iso)
      .tz(timezone)
      .locale(i18n.resolvedLanguage ?? 'en');
  const start = local(a.startsAt);
  const end = local(a.endsAt);
  const canWrite = can('appointments:write');
  const future = dayjs(a.startsAt).isAfter(dayjs());

  const run = (act: AppointmentAction, done: string) =>
    action.mutate(
      { id: a.id, action: act },
      {
        onSuccess: (result) => {
          notifySuccess(done);
          setPanel('none');
          // A reschedule makes a new appointment: follow it.
          if (result && result.id !== a.id) onOpen(result.id);
        },
        onError: (err) => notifyScheduleError(err, t),
      },
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={0}>
          <Text fw={700} size="lg">
            {a.patient.name}
          </Text>
          <Text size="sm" c="dimmed" ff="monospace">
            {a.patient.mrn}
          </Text>
        </Stack>
        <AppointmentStatusBadge status={a.status} />
      </Group>
      <InfoList cols={1}>
        <InfoItem
          label={t('appointment.when')}
        >{`${start.format('dddd LL')} · ${start.format('HH:mm')}–${end.format('HH:mm')}`}</InfoItem>
        <InfoItem label={t('appointment.practitioner')}>{a.practitioner.displayName}</InfoItem>
        <InfoItem label={t('appointment.visitType')}>{localName(a.visitType, i18n.resolvedLanguage)}</InfoItem>
        <InfoItem label={t('appointment.reason')}>{a.reason}</InfoItem>
        {a.notes && <InfoItem label={t('appointment.notes')}>{a.notes}</InfoItem>}
        <InfoItem label={t('appointment.source')}>{t(`appointment.sources.${a.source}`)}</InfoItem>
        {a.cancelReason && (
          <InfoItem label={t('appointment.cancelReason')}>
            {a.cancelReason === 'rescheduled' ? t('appointment.movedReason') : a.cancelReason}
          </InfoItem>
        )}
        {a.holdExpiresAt && <InfoItem label={t('appointment.holdExpires')}>{local(a.holdExpiresAt).format('LL HH:mm')}</InfoItem>}
        <InfoItem label={t('appointment.reminders')}>
          {a.reminders.length === 0 ? (
            t('appointment.noReminders')
          ) : (
            <Stack gap={2}>
              {a.reminders.map((r) => (
                <Text key={`${r.channel}-${r.leadMinutes}`} c={REMINDER_COLORS[r.status]}>
                  {[
                    t(`appointment.reminderChannels.${r.channel}`),
                    t('appointment.reminderLead', { lead: leadTime(r.leadMinutes, i18n.resolvedLanguage ?? 'en') }),
                    t(`appointment.reminderStatus.${r.status}`, {
                      when: local(r.sentAt ?? r.dueAt).format('LL HH:mm'),
                      error: r.error ?? '',
                    }),
                  ].join(' · ')}
                </Text>
              ))}
            </Stack>
          )}
        </InfoItem>
      </InfoList>
      {a.noShowRisk !== null && (a.status === 'booked' || a.status === 'requested') && future && (
        <Group>
          <RiskBadge risk={a.noShowRisk} factors={a.noShowFactors} />
        </Group>
      )}
      {a.rescheduledFromId && (
        <Text size="sm">
          {t('appointment.rescheduledFrom')}{' '}
          <Anchor component="button" type="button" onClick={() => onOpen(a.rescheduledFromId ?? '')}>
            {t('appointment.openPrevious')}
          </Anchor>
        </Text>
      )}
      {can('patients:read') && (
        <Anchor component={Link} to={`/patients/${a.patient.id}`} onClick={onClose}>
          {t('appointment.openRecord')}
        </Anchor>
      )}
      {canWrite && (
        <>
          <Divider />
          <Group gap="xs">
            {a.status === 'requested' && (
              <Button
                leftSection={<IconCalendarCheck size={16} aria-hidden />}
                loading={action.isPending}
                onClick={() => run({ kind: 'confirm' }, t('appointment.confirmed'))}
              >
                {t('appointment.confirm')}
              </Button>
            )}
            {(a.status === 'booked' || a.status === 'requested') && (
              <Button variant="default" leftSection={<IconClock size={16} aria-hidden />} onClick={() => setPanel('reschedule')}>
                {t('appointment.reschedule')}
              </Button>
            )}
            {a.status === 'booked' && !future && (
              <Button
                variant="default"
                color="orange"
                leftSection={<IconUserOff size={16} aria-hidden />}
                loading={action.isPending}
                onClick={() => run({ kind: 'status', status: 'no_show' }, t('appointment.noShowDone'))}
              >
                {t('appointment.noShow')}
              </Button>
            )}
            {(a.status === 'checked_in' || a.status === 'in_progress') && (
              <StartConsultationButton appointmentId={a.id} size="sm" />
            )}
            {/* a visit is completed once it has started (the server refuses earlier, 409) */}
            {(a.status === 'in_progress' || (a.status === 'checked_in' && !future)) && (
              <Button
                variant="default"
                leftSection={<IconCheck size={16} aria-hidden />}
                loading={action.isPending}
                onClick={() => run({ kind: 'status', status: 'completed' }, t('appointment.completed'))}
              >
                {t('appointment.complete')}
              </Button>
            )}
            {a.status === 'checked_in' && future && (
              <Text size="xs" c="dimmed" w="100%" data-testid="complete-later">
                {t('appointment.completeLater', { time: dayjs(a.startsAt).tz(timezone).format('HH:mm') })}
              </Text>
            )}
            {(a.status === 'booked' || a.status === 'requested') && (
              <Button
                variant="light"
                color="red"
                leftSection={<IconCalendarX size={16} aria-hidden />}
                onClick={() => setPanel('cancel')}
              >
                {t('appointment.cancel')}
              </Button>
            )}
          </Group>
          {panel === 'cancel' && (
            <CancelForm
              pending={action.isPending}
              onCancel={() => setPanel('none')}
              onSubmit={(reason) => run({ kind: 'cancel', reason }, t('appointment.cancelled'))}
            />
          )}
          {panel === 'reschedule' && (
            <RescheduleForm
              appointment={a}
              timezone={timezone}
              practitioners={practitioners}
              pending={action.isPending}
              onCancel={() => setPanel('none')}
              onSubmit={(startsAt, practitionerId) =>
                run(
                  {
                    kind: 'reschedule',
                    startsAt,
                    practitionerId: practitionerId === a.practitioner.id ? undefined : practitionerId,
                  },
                  t('schedule.moved', { when: local(startsAt).format('LL HH:mm') }),
                )
              }
            />
          )}
        </>
      )}
    </Stack>
  );
}

/** A reminder that will not go out is dimmed; one that could not is red. */
const REMINDER_COLORS: Partial<Record<AppointmentReminder['status'], string>> = {
  failed: 'red',
  cancelled: 'dimmed',
  skipped: 'dimmed',
};

/** "24 hours", "2 days", "30 minutes" in the user's language. */
function leadTime(minutes: number, locale: string): string {
  const [value, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function CancelForm({
  pending,
  onCancel,
  onSubmit,
  label,
  submitLabel,
}: {
  pending: boolean;
  onCancel: () => void;
  onSubmit: (reason: string) => void;
  label?: string;
  submitLabel?: string;
}) {
  const { t } = useTranslation('scheduling');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          setError(t('validation.required'));
          return;
        }
        onSubmit(reason.trim());
      }}
    >
      <Stack gap="xs">
        <Textarea
          label={label ?? t('appointment.cancelReasonLabel')}
          description={t('appointment.cancelReasonHelp')}
          withAsterisk
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setError(undefined);
          }}
          error={error}
          maxLength={300}
          data-autofocus
          autoFocus
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            {t('appointment.keep')}
          </Button>
          <Button type="submit" color="red" loading={pending}>
            {submitLabel ?? t('appointment.cancelSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RescheduleForm({
  appointment,
  timezone,
  practitioners,
  pending,
  onCancel,
  onSubmit,
}: {
  appointment: Appointment;
  timezone: string;
  practitioners: Practitioner[];
  pending: boolean;
  onCancel: () => void;
  onSubmit: (startsAt: string, practitionerId: string) => void;
}) {
  const { t } = useTranslation('scheduling');
  const [value, setValue] = useState(dayjs(appointment.startsAt).tz(timezone).format('YYYY-MM-DDTHH:mm'));
  const [practitionerId, setPractitionerId] = useState<string>(appointment.practitioner.id);
  const [error, setError] = useState<string | undefined>();
  const options = practitioners.some((p) => p.id === appointment.practitioner.id)
    ? practitioners
    : [{ id: appointment.practitioner.id, displayName: appointment.practitioner.displayName }, ...practitioners];
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local = dayjs.tz(value, 'YYYY-MM-DDTHH:mm', timezone);
        if (!value || !local.isValid()) {
          setError(t('validation.required'));
          return;
        }
        onSubmit(local.format(), practitionerId);
      }}
    >
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('appointment.rescheduleTitle')}
        </Text>
        <TextInput
          type="datetime-local"
          label={t('appointment.newStart')}
          description={timezone}
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setError(undefined);
          }}
          error={error}
          step={300}
          withAsterisk
        />
        <Select
          label={t('appointment.newPractitioner')}
          data={options.map((p) => ({ value: p.id, label: p.displayName }))}
          value={practitionerId}
          onChange={(v) => v && setPractitionerId(v)}
          allowDeselect={false}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {t('appointment.rescheduleSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
