import { useState } from 'react';
import { Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConsultationPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useCurrentMedications, useReconcile, useReconciliation, type CurrentMedication } from '../api/medications.ts';
import { howTaken, StopModal } from './CurrentMedicationsCard.tsx';

/**
 * The consultation's medication reconciliation: what the patient takes now (active prescriptions and what
 * they report), each reported one continued or stopped with a reason, then "Mark reconciled" (who and when,
 * shown afterwards and on the chart's current medications card).
 */
export function ReconcilePanel({ encounter, patientId }: ConsultationPartProps) {
  const { t, i18n } = useTranslation('medications');
  const lang = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
  const f = useFormatters();
  const { can } = useAuth();
  const current = useCurrentMedications(patientId);
  const state = useReconciliation(patientId, encounter.id);
  const reconcile = useReconcile(patientId, encounter.id);
  const [stopping, setStopping] = useState<CurrentMedication | null>(null);
  const [note, setNote] = useState('');
  const writable = can('medications:reconcile') && encounter.status === 'in_progress';
  const done = state.data?.reconciliation ?? null;

  const mark = () =>
    reconcile.mutate(note.trim() ? { note: note.trim() } : {}, {
      onSuccess: () => {
        notifySuccess(t('reconcile.done'));
        setNote('');
      },
      onError: (err) => notifyError(err, t),
    });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="reconcile-title" data-testid="reconcile-panel">
      <Stack gap="sm">
        <Title order={2} size="h4" id="reconcile-title">
          {t('reconcile.title')}
        </Title>
        {current.isPending || state.isPending ? (
          <Skeleton h={60} />
        ) : current.isError ? (
          <QueryError error={current.error} onRetry={() => void current.refetch()} />
        ) : state.isError ? (
          <QueryError error={state.error} onRetry={() => void state.refetch()} />
        ) : (
          <>
            {writable && (
              <Text size="xs" c="dimmed">
                {t('reconcile.help')}
              </Text>
            )}
            {current.data.data.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('reconcile.empty')}
              </Text>
            ) : (
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {current.data.data.map((m) => (
                  <Group
                    key={`${m.source}:${m.id}`}
                    component="li"
                    justify="space-between"
                    wrap="nowrap"
                    gap="xs"
                    align="flex-start"
                  >
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
                        {howTaken(m, lang)}
                      </Text>
                    </div>
                    {writable && m.source === 'reported' && (
                      <Group gap={4} wrap="nowrap">
                        <Badge size="sm" variant="light" color="gray">
                          {t('reconcile.continued')}
                        </Badge>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('current.stopName', { name: m.name })}
                          onClick={() => setStopping(m)}
                        >
                          {t('current.stop')}
                        </Button>
                      </Group>
                    )}
                  </Group>
                ))}
              </Stack>
            )}
            <Text size="sm" c={done ? undefined : 'dimmed'} fw={done ? 600 : undefined} role="status" data-testid="reconciled-by">
              {done
                ? t('reconcile.by', { name: done.reconciledBy.name, time: f.dateTime(done.reconciledAt).split(' ').pop() })
                : t('reconcile.not')}
            </Text>
            {done && done.reviewed.length > 0 && (
              <Text size="xs" data-testid="reconciled-list">
                {t('reconcile.reviewed', { names: done.reviewed.map((m) => m.name).join(', ') })}
              </Text>
            )}
            {done?.note && <Text size="xs">{done.note}</Text>}
            {writable && (
              <Group gap="xs" align="flex-end" wrap="wrap">
                <TextInput
                  size="xs"
                  label={t('reconcile.note')}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  maxLength={500}
                  style={{ flex: 1, minWidth: 200 }}
                />
                <Button
                  size="xs"
                  leftSection={<IconChecklist size={14} aria-hidden />}
                  onClick={mark}
                  loading={reconcile.isPending}
                  variant={done ? 'default' : 'filled'}
                >
                  {done ? t('reconcile.markAgain') : t('reconcile.mark')}
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
      <StopModal patientId={patientId} medication={stopping} onClose={() => setStopping(null)} />
    </Paper>
  );
}
