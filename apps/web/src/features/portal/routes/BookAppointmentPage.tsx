import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Stepper,
  Text,
  Textarea,
} from '@mantine/core';
import { IconAlertTriangle, IconCalendarCheck, IconStethoscope } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import {
  conflictMessage,
  formatFee,
  localName,
  usePractitioners,
  useSlotFormatter,
  useSpecialties,
  useVisitTypes,
  type Practitioner,
  type Slot,
} from '../../scheduling/index.ts';
import { usePortalBook } from '../api/booking.ts';
import { SlotPicker } from '../components/SlotPicker.tsx';

/** Specialty → practitioner → visit type → free time → confirm. */
export function BookAppointmentPage() {
  const { t, i18n } = useTranslation('portal');
  const language = i18n.resolvedLanguage ?? 'en';
  const navigate = useNavigate();
  const specialties = useSpecialties();
  const visitTypes = useVisitTypes();
  const clinics = useClinics();
  const slotText = useSlotFormatter();
  const book = usePortalBook();
  const [step, setStep] = useState(0);
  const [specialtyId, setSpecialtyId] = useState<string | null>(null);
  const [practitioner, setPractitioner] = useState<Practitioner | null>(null);
  const [clinicId, setClinicId] = useState<string | null>(null);
  const [visitTypeId, setVisitTypeId] = useState<string | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [reason, setReason] = useState('');
  const [conflict, setConflict] = useState<string | null>(null);
  const practitioners = usePractitioners({ specialtyId }, !!specialtyId);

  const activeSpecialties = (specialties.data ?? []).filter((s) => s.active);
  const activeVisitTypes = (visitTypes.data ?? []).filter((v) => v.active);
  const clinic = clinics.data?.data.find((c) => c.id === clinicId);
  const zone = clinic?.timezone ?? dayjs.tz.guess();
  const visitType = activeVisitTypes.find((v) => v.id === visitTypeId);
  const when = slot ? dayjs(slot.startsAt).tz(zone).locale(language).format('dddd LL, HH:mm') : '';

  const choosePractitioner = (p: Practitioner) => {
    setPractitioner(p);
    setClinicId(p.nextFreeSlot?.clinicId ?? p.clinicIds[0] ?? null);
    setSlot(null);
  };

  const submit = () => {
    if (!practitioner || !clinicId || !visitTypeId || !slot) return;
    setConflict(null);
    book.mutate(
      { clinicId, practitionerId: practitioner.id, visitTypeId, startsAt: slot.startsAt, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          notifySuccess(t('portalBooking.wizard.booked', { when, practitioner: practitioner.displayName }));
          void navigate('/portal/appointments');
        },
        onError: (err) => {
          const message = conflictMessage(err, t);
          setConflict(message ?? errorMessage(err, t));
          // The slot is gone: go back to the (refreshed) times.
          if (message) {
            setSlot(null);
            setStep(3);
          }
        },
      },
    );
  };

  if (specialties.isPending || visitTypes.isPending) {
    return (
      <Stack aria-busy>
        <Skeleton h={40} w={320} />
        <Skeleton h={60} />
        <Skeleton h={200} />
      </Stack>
    );
  }
  if (specialties.isError) return <QueryError error={specialties.error} onRetry={() => void specialties.refetch()} />;
  if (activeSpecialties.length === 0) {
    return (
      <>
        <PageHeader title={t('portalBooking.book')} />
        <EmptyState
          icon={<IconStethoscope size={22} />}
          title={t('portalBooking.wizard.noSpecialtiesTitle')}
          description={t('portalBooking.wizard.noSpecialties')}
        />
      </>
    );
  }

  const canNext = [!!specialtyId, !!practitioner && !!clinicId, !!visitTypeId, !!slot][step] ?? false;

  return (
    <>
      <PageHeader title={t('portalBooking.book')} />
      {conflict && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('scheduling:conflict.title')}
          role="alert"
          mb="md"
        >
          {conflict}
        </Alert>
      )}
      <Paper p="md">
        <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label={t('portalBooking.wizard.specialty')} description={t('portalBooking.wizard.specialtyHelp')}>
            <Radio.Group
              label={t('portalBooking.wizard.specialtyHelp')}
              value={specialtyId}
              onChange={(v) => {
                setSpecialtyId(v);
                setPractitioner(null);
                setSlot(null);
              }}
            >
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="sm">
                {activeSpecialties.map((s) => (
                  <Radio.Card key={s.id} value={s.id} p="md" radius="md">
                    <Group wrap="nowrap">
                      <Radio.Indicator />
                      <Text fw={600}>{localName(s, language)}</Text>
                    </Group>
                  </Radio.Card>
                ))}
              </SimpleGrid>
            </Radio.Group>
          </Stepper.Step>
          <Stepper.Step label={t('portalBooking.wizard.practitioner')} description={t('portalBooking.wizard.practitionerHelp')}>
            {practitioners.isPending ? (
              <Skeleton h={160} />
            ) : practitioners.isError ? (
              <QueryError error={practitioners.error} onRetry={() => void practitioners.refetch()} />
            ) : practitioners.data.filter((p) => p.active).length === 0 ? (
              <EmptyState
                icon={<IconStethoscope size={22} />}
                title={t('portalBooking.wizard.noPractitionersTitle')}
                description={t('portalBooking.wizard.noPractitioners')}
              />
            ) : (
              <Radio.Group
                label={t('portalBooking.wizard.practitionerHelp')}
                value={practitioner?.id ?? null}
                onChange={(id) => {
                  const p = practitioners.data.find((x) => x.id === id);
                  if (p) choosePractitioner(p);
                }}
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
                  {practitioners.data
                    .filter((p) => p.active)
                    .map((p) => {
                      const fee = formatFee(p, language);
                      return (
                        <Radio.Card key={p.id} value={p.id} p="md" radius="md">
                          <Group wrap="nowrap" align="flex-start">
                            <Radio.Indicator mt={4} />
                            <Stack gap={2}>
                              <Text fw={600}>{p.displayName}</Text>
                              <Text size="sm">
                                {(clinics.data?.data ?? [])
                                  .filter((c) => p.clinicIds.includes(c.id))
                                  .map((c) => c.name)
                                  .join(', ')}
                              </Text>
                              <Text size="sm" c="dimmed">
                                {t('portalBooking.wizard.languages', {
                                  languages: p.languages.map((l) => t(`languages.${l}`, { defaultValue: l })).join(', '),
                                })}
                              </Text>
                              {fee && <Text size="sm">{t('portalBooking.wizard.fee', { fee })}</Text>}
                              {p.nextFreeSlot ? (
                                <Text size="sm" c="green.8" fw={500}>
                                  {t('portalBooking.wizard.nextFree', { when: slotText(p.nextFreeSlot) })}
                                </Text>
                              ) : (
                                <Text size="sm" c="dimmed">
                                  {t('portalBooking.wizard.noneFree')}
                                </Text>
                              )}
                              {p.requiresConfirmation && (
                                <Badge variant="light" color="yellow" size="sm">
                                  {t('scheduling:practitioners.needsConfirmation')}
                                </Badge>
                              )}
                            </Stack>
                          </Group>
                        </Radio.Card>
                      );
                    })}
                </SimpleGrid>
              </Radio.Group>
            )}
            {practitioner && practitioner.clinicIds.length > 1 && (
              <Select
                mt="md"
                label={t('portalBooking.wizard.clinic')}
                data={(clinics.data?.data ?? [])
                  .filter((c) => practitioner.clinicIds.includes(c.id))
                  .map((c) => ({ value: c.id, label: c.name }))}
                value={clinicId}
                onChange={(v) => {
                  setClinicId(v);
                  setSlot(null);
                }}
                allowDeselect={false}
                w={280}
              />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('portalBooking.wizard.visitType')} description={t('portalBooking.wizard.visitTypeHelp')}>
            <Radio.Group
              label={t('portalBooking.wizard.visitTypeHelp')}
              value={visitTypeId}
              onChange={(v) => {
                setVisitTypeId(v);
                setSlot(null);
              }}
            >
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="sm">
                {activeVisitTypes.map((v) => (
                  <Radio.Card key={v.id} value={v.id} p="md" radius="md">
                    <Group wrap="nowrap" justify="space-between">
                      <Group wrap="nowrap">
                        <Radio.Indicator />
                        <Text fw={600}>{localName(v, language)}</Text>
                      </Group>
                      <Text size="sm" c="dimmed">
                        {t('portalBooking.wizard.minutes', { count: v.durationMinutes })}
                      </Text>
                    </Group>
                  </Radio.Card>
                ))}
              </SimpleGrid>
            </Radio.Group>
          </Stepper.Step>
          <Stepper.Step label={t('portalBooking.wizard.slot')} description={t('portalBooking.wizard.slotHelp')}>
            {practitioner && clinicId && visitTypeId && (
              <SlotPicker
                practitionerId={practitioner.id}
                clinicId={clinicId}
                visitTypeId={visitTypeId}
                timezone={zone}
                value={slot}
                onChange={setSlot}
              />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('portalBooking.wizard.confirm')} description={t('portalBooking.wizard.confirmHelp')}>
            {practitioner && visitType && slot && (
              <Stack gap="sm">
                <Paper p="md" withBorder>
                  <Group gap="sm">
                    <IconCalendarCheck size={22} aria-hidden />
                    <Stack gap={0}>
                      <Text fw={700}>
                        {t('portalBooking.wizard.summary', {
                          visitType: localName(visitType, language),
                          practitioner: practitioner.displayName,
                          when,
                        })}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {clinic?.name} · {zone}
                      </Text>
                    </Stack>
                  </Group>
                </Paper>
                {practitioner.requiresConfirmation && <Text size="sm">{t('portalBooking.wizard.requestedNote')}</Text>}
                <Textarea
                  label={t('portalBooking.wizard.reason')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  maxLength={500}
                  autosize
                  minRows={2}
                />
              </Stack>
            )}
          </Stepper.Step>
        </Stepper>
        <Group justify="space-between" mt="lg">
          <Button variant="default" onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0}>
            {t('portalBooking.wizard.back')}
          </Button>
          {step < 4 ? (
            <Button onClick={() => setStep((s) => s + 1)} disabled={!canNext}>
              {t('portalBooking.wizard.next')}
            </Button>
          ) : (
            <Button onClick={submit} loading={book.isPending} leftSection={<IconCalendarCheck size={16} aria-hidden />}>
              {t('portalBooking.wizard.submit')}
            </Button>
          )}
        </Group>
      </Paper>
    </>
  );
}
