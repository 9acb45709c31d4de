import { useState } from 'react';
import { Badge, Button, Group, Modal, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { doseText, frequencyText } from '@sanita/clinical/medications';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useCurrentMedications,
  useReportMedication,
  useStopReported,
  type CurrentMedication,
  type FormularyItem,
} from '../api/medications.ts';
import { FormularyPicker } from './FormularyPicker.tsx';

/**
 * The chart summary's current medications: the items of active prescriptions and what the patient reports
 * taking (reconciled at each visit: add what they report, stop what they no longer take).
 */
export function CurrentMedicationsCard({ patient }: ChartPartProps) {
  const { t, i18n } = useTranslation('medications');
  const { can } = useAuth();
  const f = useFormatters();
  const lang = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
  const current = useCurrentMedications(patient.id);
  const [adding, setAdding] = useState(false);
  const [stopping, setStopping] = useState<CurrentMedication | null>(null);
  const reconcile = can('medications:reconcile') && patient.status === 'active';

  const how = (m: CurrentMedication) => howTaken(m, lang);
  const last = current.data?.lastReconciliation ?? null;

  return (
    <ChartCard
      title={t('current.title')}
      more={
        can('prescriptions:read') ? { to: `/patients/${patient.id}/chart/prescriptions`, label: t('current.all') } : undefined
      }
      testId="summary-current-medications"
    >
      {current.isPending ? (
        <Skeleton h={60} />
      ) : current.isError ? (
        <QueryError error={current.error} onRetry={() => void current.refetch()} />
      ) : current.data.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('current.empty')}
        </Text>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {current.data.data.map((m) => (
            <Group key={`${m.source}:${m.id}`} component="li" justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={600}>
                    {m.name}
                  </Text>
                  <Badge size="xs" variant="light" color={m.source === 'prescription' ? 'blue' : 'gray'}>
                    {m.source === 'prescription' ? t('current.prescribed') : t('current.reported')}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed">
                  {[
                    how(m),
                    m.since ? t('current.since', { date: f.date(m.since) }) : null,
                    m.prescriber ? t('current.by', { name: m.prescriber.name }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </div>
              {reconcile && m.source === 'reported' && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="gray"
                  aria-label={t('current.stopName', { name: m.name })}
                  onClick={() => setStopping(m)}
                >
                  {t('current.stop')}
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {current.data && (
        <Text size="xs" c="dimmed" data-testid="last-reconciliation">
          {last ? t('reconcile.lastOn', { date: f.dateTime(last.at), name: last.by.name }) : t('reconcile.never')}
        </Text>
      )}
      {reconcile && (
        <Group>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setAdding(true)}
          >
            {t('current.add')}
          </Button>
        </Group>
      )}
      <ReportModal patientId={patient.id} opened={adding} onClose={() => setAdding(false)} />
      <StopModal patientId={patient.id} medication={stopping} onClose={() => setStopping(null)} />
    </ChartCard>
  );
}

/** A current medication's dose and schedule in words (a reported one: as the patient said it). */
export function howTaken(m: CurrentMedication, lang: 'en' | 'fr'): string {
  return m.dose && m.frequency ? `${doseText(m.dose, lang)}, ${frequencyText(m.frequency, lang)}` : (m.doseText ?? '');
}

function ReportModal({ patientId, opened, onClose }: { patientId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('medications');
  const report = useReportMedication(patientId);
  const [item, setItem] = useState<FormularyItem | null>(null);
  const [name, setName] = useState('');
  const [dose, setDose] = useState('');
  const [since, setSince] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setItem(null);
    setName('');
    setDose('');
    setSince('');
    setError(null);
    onClose();
  };
  const submit = () => {
    if (!item && !name.trim()) {
      setError(t('current.nameHelp'));
      return;
    }
    report.mutate(
      {
        ...(item ? { formularyItemId: item.id, name: item.name } : { name: name.trim() }),
        ...(dose.trim() ? { doseText: dose.trim() } : {}),
        ...(since ? { since } : {}),
      },
      {
        onSuccess: () => {
          notifySuccess(t('current.added'));
          close();
        },
        onError: (err) => notifyError(err, t),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('current.addTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          {item ? (
            <Group justify="space-between">
              <Text size="sm" fw={600} data-testid="reported-choice">
                {item.name}
              </Text>
              <Button size="compact-xs" variant="subtle" onClick={() => setItem(null)}>
                {t('current.change')}
              </Button>
            </Group>
          ) : (
            <FormularyPicker
              label={t('current.name')}
              autoFocus
              onPick={(fi) => {
                setItem(fi);
                setError(null);
              }}
              onFreeText={(text) => {
                setName(text);
                setError(null);
              }}
            />
          )}
          {!item && name && (
            <TextInput label={t('current.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} />
          )}
          {error && (
            <Text size="sm" c="red">
              {error}
            </Text>
          )}
          <TextInput
            label={t('current.doseText')}
            placeholder={t('current.doseTextPlaceholder')}
            value={dose}
            onChange={(e) => setDose(e.currentTarget.value)}
            maxLength={200}
          />
          <TextInput
            type="date"
            label={t('current.sinceLabel')}
            value={since}
            onChange={(e) => setSince(e.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={report.isPending} disabled={!item && !name.trim()}>
              {t('current.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Stop a reported medication, with a reason (the chart card and the consultation's reconciliation). */
export function StopModal({
  patientId,
  medication,
  onClose,
}: {
  patientId: string;
  medication: CurrentMedication | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('medications');
  const stop = useStopReported(patientId);
  const [reason, setReason] = useState('');
  const close = () => {
    setReason('');
    onClose();
  };
  return (
    <Modal
      opened={medication !== null}
      onClose={close}
      title={medication ? t('current.stopTitle', { name: medication.name }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!medication) return;
          stop.mutate(
            { id: medication.id, ...(reason.trim() ? { reason: reason.trim() } : {}) },
            {
              onSuccess: () => {
                notifySuccess(t('current.stopped', { name: medication.name }));
                close();
              },
              onError: (err) => notifyError(err, t),
            },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('current.stopReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            data-autofocus
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={stop.isPending}>
              {t('current.stopConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
