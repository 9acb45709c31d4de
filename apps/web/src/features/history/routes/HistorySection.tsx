import { useState } from 'react';
import { Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { HISTORY_KINDS } from '@sanita/contracts/history';
import type { ChartPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useEditHistory, useHistory, type HistoryEntry, type HistoryKind } from '../api/history.ts';
import { ErrorsToggle, ItemActions, ItemDialogs, Stamp, type ShownChanges } from '../components/Bits.tsx';
import { HistoryForm } from '../components/HistoryForm.tsx';

/** A history entry as one line: the condition (with the relative), or the social habits. */
export function historyLine(h: HistoryEntry, t: TFunction): string {
  if (h.kind === 'social')
    return [
      h.tobacco &&
        [
          t(`history:history.tobacco.${h.tobacco}`),
          h.packYears !== null ? t('history:history.packYears', { value: h.packYears }) : null,
        ]
          .filter(Boolean)
          .join(', '),
      h.alcohol &&
        [
          t(`history:history.alcohol.${h.alcohol}`),
          h.unitsPerWeek !== null ? t('history:history.unitsPerWeek', { value: h.unitsPerWeek }) : null,
        ]
          .filter(Boolean)
          .join(', '),
      h.occupation,
    ]
      .filter(Boolean)
      .join(' · ');
  if (h.kind === 'family' && h.relation) return `${t(`history:history.relations.${h.relation}`)}: ${h.condition ?? ''}`;
  return h.condition ?? '';
}

/** The chart's history tab: medical, surgical, family and social history, each with its entries and an add button. */
export function HistorySection({ patient }: ChartPartProps) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  const { can } = useAuth();
  const writable = can('history:write') && patient.status === 'active';
  const history = useHistory(patient.id);
  const edit = useEditHistory(patient.id);
  const [form, setForm] = useState<{ kind: HistoryKind; entry: HistoryEntry | null } | null>(null);
  const [revisions, setRevisions] = useState<ShownChanges>(null);
  const [erroneous, setErroneous] = useState<HistoryEntry | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const all = history.data ?? [];
  const errors = all.filter((h) => h.status === 'entered_in_error');

  if (history.isLoading) return <Skeleton h={240} />;
  if (history.error) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {HISTORY_KINDS.map((kind) => {
          const entries = all.filter((h) => h.kind === kind && (showErrors || h.status !== 'entered_in_error'));
          return (
            <Paper
              key={kind}
              withBorder
              p="sm"
              component="section"
              aria-labelledby={`history-${kind}`}
              data-testid={`history-${kind}`}
            >
              <Group justify="space-between" mb="xs" wrap="nowrap">
                <Title order={2} size="h5" id={`history-${kind}`}>
                  {t(`history.kinds.${kind}`)}
                </Title>
                {writable && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    leftSection={<IconPlus size={12} aria-hidden />}
                    onClick={() => setForm({ kind, entry: null })}
                  >
                    {t(`history.add.${kind}`)}
                  </Button>
                )}
              </Group>
              {!entries.length ? (
                <Text size="sm" c="dimmed">
                  {t('history.empty')}
                </Text>
              ) : (
                <Stack gap={6}>
                  {entries.map((h) => {
                    const erased = h.status === 'entered_in_error';
                    const line = historyLine(h, t);
                    return (
                      <div key={h.id} data-testid="history-entry">
                        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                          <div>
                            <Text size="sm" fw={500} td={erased ? 'line-through' : undefined}>
                              {line}
                              {h.date && (
                                <Text span size="xs" c="dimmed" ml={6}>
                                  {f.date(h.date)}
                                </Text>
                              )}
                            </Text>
                            {h.note && (
                              <Text size="xs" c="dimmed">
                                {h.note}
                              </Text>
                            )}
                            <Stamp item={h} />
                          </div>
                          <ItemActions
                            name={line}
                            editable={writable && !erased}
                            onEdit={() => setForm({ kind, entry: h })}
                            onChanges={() => setRevisions({ id: h.id, what: line })}
                            onEnteredInError={() => setErroneous(h)}
                          />
                        </Group>
                      </div>
                    );
                  })}
                </Stack>
              )}
            </Paper>
          );
        })}
      </SimpleGrid>
      <ErrorsToggle count={errors.length} shown={showErrors} onToggle={() => setShowErrors((s) => !s)} />
      {form && <HistoryForm patientId={patient.id} kind={form.kind} entry={form.entry} onClose={() => setForm(null)} />}
      <ItemDialogs
        patientId={patient.id}
        entity="history"
        changes={revisions}
        onCloseChanges={() => setRevisions(null)}
        erroneous={erroneous ? historyLine(erroneous, t) : null}
        onCloseErroneous={() => setErroneous(null)}
        saving={edit.isPending}
        onConfirmErroneous={() =>
          erroneous &&
          edit.mutate(
            { id: erroneous.id, body: { version: erroneous.version, status: 'entered_in_error' } },
            {
              onSuccess: () => {
                notifySuccess(t('history.saved'));
                setErroneous(null);
              },
              onError: (err) => notifyError(err, t),
            },
          )
        }
      />
    </Stack>
  );
}
