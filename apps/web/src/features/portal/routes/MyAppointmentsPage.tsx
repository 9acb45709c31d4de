import { useState } from 'react';
import { Alert, Button, Group, Modal, Paper, Skeleton, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { IconCalendarPlus, IconCalendarTime, IconClockHour4, IconHistory } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { notifySuccess } from '../../../lib/errors.ts';
import {
  AppointmentStatusBadge,
  conflictMessage,
  localName,
  notifyScheduleError,
  type Slot,
  type WaitlistEntry,
} from '../../scheduling/index.ts';
import {
  useMyAppointments,
  useMyWaitlist,
  usePortalAppointmentAction,
  usePortalOfferAction,
  type PortalAppointment,
} from '../api/booking.ts';
import { SlotPicker } from '../components/SlotPicker.tsx';

const DONE = new Set(['cancelled', 'no_show', 'completed']);

function useZoneOf() {
  const clinics = useClinics();
  return (clinicId: string) => clinics.data?.data.find((c) => c.id === clinicId)?.timezone ?? dayjs.tz.guess();
}

export function MyAppointmentsPage() {
  const { t } = useTranslation('portal');
  const list = useMyAppointments();
  const offers = useMyWaitlist();
  const [cancelling, setCancelling] = useState<PortalAppointment | null>(null);
  const [moving, setMoving] = useState<PortalAppointment | null>(null);
  const now = Date.now();
  const upcoming = (list.data ?? [])
    .filter((a) => !DONE.has(a.status) && a.status !== 'held' && Date.parse(a.endsAt) > now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = (list.data ?? [])
    .filter((a) => a.status !== 'held' && (DONE.has(a.status) || Date.parse(a.endsAt) <= now))
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  const offered = (offers.data ?? []).filter((e) => e.status === 'offered' && e.offer);

  return (
    <>
      <PageHeader
        title={t('portalBooking.myTitle')}
        description={t('portalBooking.mySubtitle')}
        actions={
          <Button component={Link} to="/portal/book" leftSection={<IconCalendarPlus size={16} aria-hidden />}>
            {t('portalBooking.book')}
          </Button>
        }
      />
      {offered.length > 0 && (
        <Stack gap="sm" mb="md">
          {offered.map((e) => (
            <OfferCard key={e.id} entry={e} />
          ))}
        </Stack>
      )}
      {list.isPending ? (
        <Stack aria-busy>
          <Skeleton h={40} />
          <Skeleton h={90} />
          <Skeleton h={90} />
        </Stack>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Tabs defaultValue="upcoming">
          <Tabs.List mb="md">
            <Tabs.Tab value="upcoming" leftSection={<IconCalendarTime size={16} aria-hidden />}>
              {t('portalBooking.upcoming')} ({upcoming.length})
            </Tabs.Tab>
            <Tabs.Tab value="past" leftSection={<IconHistory size={16} aria-hidden />}>
              {t('portalBooking.past')} ({past.length})
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="upcoming">
            {upcoming.length === 0 ? (
              <EmptyState
                icon={<IconCalendarTime size={22} />}
                title={t('portalBooking.emptyUpcomingTitle')}
                description={t('portalBooking.emptyUpcoming')}
                action={
                  <Button component={Link} to="/portal/book" variant="light">
                    {t('portalBooking.book')}
                  </Button>
                }
              />
            ) : (
              <Stack gap="sm">
                {upcoming.map((a) => (
                  <AppointmentCard key={a.id} appointment={a} onCancel={() => setCancelling(a)} onMove={() => setMoving(a)} />
                ))}
              </Stack>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="past">
            {past.length === 0 ? (
              <EmptyState
                icon={<IconHistory size={22} />}
                title={t('portalBooking.emptyPastTitle')}
                description={t('portalBooking.emptyPast')}
              />
            ) : (
              <Stack gap="sm">
                {past.map((a) => (
                  <AppointmentCard key={a.id} appointment={a} />
                ))}
              </Stack>
            )}
          </Tabs.Panel>
        </Tabs>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={!!cancelling}
        onClose={() => setCancelling(null)}
        title={t('portalBooking.cancelTitle')}
        centered
      >
        {cancelling && <CancelForm appointment={cancelling} onClose={() => setCancelling(null)} />}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={!!moving}
        onClose={() => setMoving(null)}
        title={t('portalBooking.rescheduleTitle')}
        centered
        size="xl"
      >
        {moving && <RescheduleForm appointment={moving} onClose={() => setMoving(null)} />}
      </Modal>
    </>
  );
}

function AppointmentCard({
  appointment: a,
  onCancel,
  onMove,
}: {
  appointment: PortalAppointment;
  onCancel?: () => void;
  onMove?: () => void;
}) {
  const { t, i18n } = useTranslation('portal');
  const zoneOf = useZoneOf();
  const language = i18n.resolvedLanguage ?? 'en';
  const start = dayjs(a.startsAt).tz(zoneOf(a.clinicId)).locale(language);
  const changeable = a.status === 'booked' || a.status === 'requested';
  return (
    <Paper p="md" data-testid="portal-appointment">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Text fw={700}>
            {start.format('dddd LL')} · {start.format('HH:mm')}
          </Text>
          <Text size="sm">
            {localName(a.visitType, language)} {t('portalBooking.withPractitioner', { name: a.practitioner.displayName })}
          </Text>
          {a.cancelReason && (
            <Text size="sm" c="dimmed">
              {a.cancelReason === 'rescheduled' ? t('portalBooking.movedNote') : a.cancelReason}
            </Text>
          )}
        </Stack>
        <AppointmentStatusBadge status={a.status} />
      </Group>
      {changeable && onCancel && onMove && (
        <Group mt="sm" gap="xs">
          {a.canChange ? (
            <>
              <Button size="xs" variant="default" onClick={onMove}>
                {t('portalBooking.reschedule')}
              </Button>
              <Button size="xs" variant="subtle" color="red" onClick={onCancel}>
                {t('portalBooking.cancel')}
              </Button>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('portalBooking.policy')}
            </Text>
          )}
        </Group>
      )}
    </Paper>
  );
}

function CancelForm({ appointment, onClose }: { appointment: PortalAppointment; onClose: () => void }) {
  const { t } = useTranslation('portal');
  const action = usePortalAppointmentAction();
  const [reason, setReason] = useState('');
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        action.mutate(
          { id: appointment.id, action: { kind: 'cancel', reason: reason.trim() || undefined } },
          {
            onSuccess: () => {
              notifySuccess(t('portalBooking.cancelled'));
              onClose();
            },
            onError: (err) => notifyScheduleError(err, t),
          },
        );
      }}
    >
      <Stack gap="sm">
        <Textarea
          label={t('portalBooking.cancelReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('portalBooking.keep')}
          </Button>
          <Button type="submit" color="red" loading={action.isPending}>
            {t('portalBooking.cancelSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RescheduleForm({ appointment, onClose }: { appointment: PortalAppointment; onClose: () => void }) {
  const { t, i18n } = useTranslation('portal');
  const zone = useZoneOf()(appointment.clinicId);
  const action = usePortalAppointmentAction();
  const [slot, setSlot] = useState<Slot | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      {conflict && (
        <Alert color="orange" title={t('scheduling:conflict.title')} role="alert">
          {conflict}
        </Alert>
      )}
      <SlotPicker
        practitionerId={appointment.practitionerId}
        clinicId={appointment.clinicId}
        visitTypeId={appointment.visitType.id}
        timezone={zone}
        value={slot}
        onChange={setSlot}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={!slot}
          loading={action.isPending}
          onClick={() =>
            slot &&
            action.mutate(
              { id: appointment.id, action: { kind: 'reschedule', startsAt: slot.startsAt } },
              {
                onSuccess: () => {
                  notifySuccess(
                    t('portalBooking.rescheduled', {
                      when: dayjs(slot.startsAt)
                        .tz(zone)
                        .locale(i18n.resolvedLanguage ?? 'en')
                        .format('LL HH:mm'),
                    }),
                  );
                  onClose();
                },
                onError: (err) => {
                  // The time is gone (or too close to change): say so here, the picker has refreshed.
                  const message = conflictMessage(err, t);
                  setSlot(null);
                  setConflict(message);
                  if (!message) notifyScheduleError(err, t);
                },
              },
            )
          }
        >
          {t('portalBooking.reschedule')}
        </Button>
      </Group>
    </Stack>
  );
}

function OfferCard({ entry }: { entry: WaitlistEntry }) {
  const { t, i18n } = useTranslation('portal');
  const zoneOf = useZoneOf();
  const action = usePortalOfferAction();
  const offer = entry.offer;
  if (!offer) return null;
  const zone = zoneOf(entry.clinicId);
  const language = i18n.resolvedLanguage ?? 'en';
  const when = dayjs(offer.startsAt).tz(zone).locale(language).format('dddd LL, HH:mm');
  const until = dayjs(offer.holdExpiresAt).tz(zone).locale(language).format('HH:mm');
  const run = (kind: 'accept' | 'decline') =>
    action.mutate(
      { id: entry.id, action: kind },
      {
        onSuccess: () => notifySuccess(kind === 'accept' ? t('portalBooking.accepted', { when }) : t('portalBooking.declined')),
        onError: (err) => notifyScheduleError(err, t),
      },
    );
  return (
    <Alert color="teal" icon={<IconClockHour4 aria-hidden />} title={t('portalBooking.offersTitle')} data-testid="portal-offer">
      <Text size="sm">
        {t('portalBooking.offerText', {
          when,
          practitioner: offer.practitionerName,
          visitType: localName(entry.visitType, language),
          until,
        })}
      </Text>
      <Group mt="sm" gap="xs">
        <Button size="xs" onClick={() => run('accept')} loading={action.isPending && action.variables.action === 'accept'}>
          {t('portalBooking.accept')}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => run('decline')}
          loading={action.isPending && action.variables.action === 'decline'}
        >
          {t('portalBooking.decline')}
        </Button>
      </Group>
    </Alert>
  );
}
