import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isActiveAllergy } from '@sanita/contracts/history';
import type { ChartPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import {
  useAllergies,
  useEditAllergy,
  useEditProblem,
  useNoKnownAllergies,
  useProblems,
  type Allergy,
  type Problem,
} from '../api/history.ts';
import { AllergyForm } from '../components/AllergyForm.tsx';
import { ErrorsToggle, ItemActions, ItemDialogs, Stamp, StatusBadge, type ShownChanges } from '../components/Bits.tsx';
import { ProblemForm } from '../components/ProblemForm.tsx';
import { problemLabel, substanceLabel } from '../lib/text.ts';

const PROBLEM_COLOR = { active: 'blue', inactive: 'gray', resolved: 'teal', entered_in_error: 'gray' } as const;

/** The chart's "Problems & allergies" tab: both lists, dense, each item with its actions and its changes. */
export function ProblemsSection({ patient }: ChartPartProps) {
  const { can } = useAuth();
  const writable = can('history:write') && patient.status === 'active';
  return (
    <Stack gap="md">
      <AllergiesPanel patientId={patient.id} writable={writable} />
      <ProblemsPanel patientId={patient.id} writable={writable} />
    </Stack>
  );
}

function ProblemsPanel({ patientId, writable }: { patientId: string; writable: boolean }) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  const problems = useProblems(patientId);
  const edit = useEditProblem(patientId);
  const [form, setForm] = useState<{ problem: Problem | null } | null>(null);
  const [revisions, setRevisions] = useState<ShownChanges>(null);
  const [erroneous, setErroneous] = useState<Problem | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const all = problems.data ?? [];
  const errors = all.filter((p) => p.status === 'entered_in_error');
  // active first, then inactive, then resolved; entered in error last, when shown
  const rank = { active: 0, inactive: 1, resolved: 2, entered_in_error: 3 } as const;
  const rows = all.filter((p) => showErrors || p.status !== 'entered_in_error').sort((a, b) => rank[a.status] - rank[b.status]);

  const setStatus = (p: Problem, status: Problem['status'], message: string) =>
    edit.mutate(
      { id: p.id, body: { version: p.version, status } },
      { onSuccess: () => notifySuccess(message), onError: (err) => notifyError(err, t) },
    );

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="problems-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="problems-title">
          {t('problems.title')}
        </Title>
        {writable && (
          <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setForm({ problem: null })}>
            {t('problems.add')}
          </Button>
        )}
      </Group>
      {problems.isLoading ? (
        <Skeleton h={80} />
      ) : problems.error ? (
        <QueryError error={problems.error} onRetry={() => void problems.refetch()} />
      ) : !rows.length ? (
        <Text size="sm" c="dimmed">
          {t('problems.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} horizontalSpacing="xs" striped highlightOnHover data-testid="problems-table">
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left', position: 'absolute', left: -9999 }}>
              {t('problems.caption')}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('problems.fields.description')}</Table.Th>
                <Table.Th>{t('problems.fields.status')}</Table.Th>
                <Table.Th>{t('problems.fields.onsetDate')}</Table.Th>
                <Table.Th>{t('problems.fields.resolutionDate')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => {
                const erased = p.status === 'entered_in_error';
                return (
                  <Table.Tr key={p.id} data-testid="problem-row" data-status={p.status}>
                    <Table.Td>
                      <Text size="sm" fw={p.status === 'active' ? 600 : 400} td={erased ? 'line-through' : undefined}>
                        {p.description}
                        {p.code && (
                          <Text span ff="monospace" size="xs" c="dimmed" ml={6}>
                            {p.code}
                          </Text>
                        )}
                      </Text>
                      {p.note && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {p.note}
                        </Text>
                      )}
                      <Stamp item={p} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StatusBadge label={t(`problems.status.${p.status}`)} color={PROBLEM_COLOR[p.status]} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{f.date(p.onsetDate)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.resolutionDate ? f.date(p.resolutionDate) : '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ItemActions
                        name={p.description}
                        editable={writable && !erased}
                        onEdit={() => setForm({ problem: p })}
                        onChanges={() => setRevisions({ id: p.id, what: problemLabel(p) })}
                        onEnteredInError={() => setErroneous(p)}
                      >
                        {p.status === 'resolved' ? (
                          <Button size="compact-xs" variant="subtle" onClick={() => setStatus(p, 'active', t('problems.saved'))}>
                            {t('problems.reopen')}
                          </Button>
                        ) : (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="teal"
                            c="teal.9"
                            onClick={() => setStatus(p, 'resolved', t('problems.saved'))}
                            aria-label={`${t('problems.resolve')}: ${p.description}`}
                          >
                            {t('problems.resolve')}
                          </Button>
                        )}
                      </ItemActions>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ErrorsToggle count={errors.length} shown={showErrors} onToggle={() => setShowErrors((s) => !s)} />
      {form && <ProblemForm patientId={patientId} problem={form.problem} opened onClose={() => setForm(null)} />}
      <ItemDialogs
        patientId={patientId}
        entity="problem"
        changes={revisions}
        onCloseChanges={() => setRevisions(null)}
        erroneous={erroneous ? problemLabel(erroneous) : null}
        onCloseErroneous={() => setErroneous(null)}
        saving={edit.isPending}
        onConfirmErroneous={() =>
          erroneous &&
          edit.mutate(
            { id: erroneous.id, body: { version: erroneous.version, status: 'entered_in_error' } },
            {
              onSuccess: () => {
                notifySuccess(t('problems.saved'));
                setErroneous(null);
              },
              onError: (err) => notifyError(err, t),
            },
          )
        }
      />
    </Paper>
  );
}

function AllergiesPanel({ patientId, writable }: { patientId: string; writable: boolean }) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  const allergies = useAllergies(patientId);
  const edit = useEditAllergy(patientId);
  const nka = useNoKnownAllergies(patientId);
  const [form, setForm] = useState<{ allergy: Allergy | null } | null>(null);
  const [revisions, setRevisions] = useState<ShownChanges>(null);
  const [erroneous, setErroneous] = useState<Allergy | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const list = allergies.data;
  const all = list?.data ?? [];
  const errors = all.filter((a) => a.verificationStatus === 'entered_in_error');
  const rows = all.filter((a) => showErrors || a.verificationStatus !== 'entered_in_error');
  const anyActive = all.some(isActiveAllergy);

  const change = (a: Allergy, body: Omit<Parameters<typeof edit.mutate>[0]['body'], 'version'>, after?: () => void) =>
    edit.mutate(
      { id: a.id, body: { version: a.version, ...body } },
      {
        onSuccess: () => {
          notifySuccess(t('allergies.saved'));
          after?.();
        },
        onError: (err) => notifyError(err, t),
      },
    );

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="allergies-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="allergies-title">
          {t('allergies.title')}
        </Title>
        {writable && (
          <Group gap="xs">
            {list && !anyActive && !list.noKnownAllergies && (
              <Button
                size="xs"
                variant="default"
                loading={nka.isPending}
                onClick={() =>
                  nka.mutate(undefined, {
                    onSuccess: () => notifySuccess(t('allergies.nkaRecorded')),
                    onError: (err) => notifyError(err, t),
                  })
                }
              >
                {t('allergies.recordNoKnown')}
              </Button>
            )}
            <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setForm({ allergy: null })}>
              {t('allergies.add')}
            </Button>
          </Group>
        )}
      </Group>
      {allergies.isLoading ? (
        <Skeleton h={60} />
      ) : allergies.error ? (
        <QueryError error={allergies.error} onRetry={() => void allergies.refetch()} />
      ) : (
        <Stack gap="xs">
          {list?.noKnownAllergies ? (
            <Text size="sm" c="teal.9" fw={600} data-testid="nka-statement">
              {t('allergies.noKnownStated', {
                name: list.noKnownAllergies.statedBy.name,
                date: f.dateTime(list.noKnownAllergies.statedAt),
              })}
            </Text>
          ) : (
            !anyActive && (
              <Alert color="yellow" variant="light" p="xs" c="dark.9">
                {all.length ? t('allergies.noneActive') : t('allergies.notRecorded')}
              </Alert>
            )
          )}
          {rows.length > 0 && (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing={4} horizontalSpacing="xs" striped data-testid="allergies-table">
                <Table.Caption style={{ captionSide: 'top', textAlign: 'left', position: 'absolute', left: -9999 }}>
                  {t('allergies.caption')}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('allergies.fields.substanceCode')}</Table.Th>
                    <Table.Th>{t('allergies.fields.reaction')}</Table.Th>
                    <Table.Th>{t('allergies.fields.severity')}</Table.Th>
                    <Table.Th>{t('allergies.fields.verificationStatus')}</Table.Th>
                    <Table.Th>{t('common.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((a) => {
                    const active = isActiveAllergy(a);
                    const erased = a.verificationStatus === 'entered_in_error';
                    const name = substanceLabel(a, t);
                    return (
                      <Table.Tr key={a.id} data-testid="allergy-row" data-active={active}>
                        <Table.Td>
                          <Text
                            size="sm"
                            fw={active ? 700 : 400}
                            c={active ? 'red.9' : undefined}
                            td={erased ? 'line-through' : undefined}
                          >
                            {name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {t(`allergies.types.${a.type}`)} · {t(`allergies.categories.${a.category}`)}
                            {a.onsetDate && ` · ${t('common.since', { date: f.date(a.onsetDate) })}`}
                          </Text>
                          <Stamp item={a} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">
                            {a.manifestations.map((m) => t(`allergies.manifestations.${m}`)).join(', ') || '—'}
                          </Text>
                          {a.reaction && (
                            <Text size="xs" c="dimmed">
                              {a.reaction}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={2} align="flex-start">
                            {a.severity && <Text size="sm">{t(`allergies.severities.${a.severity}`)}</Text>}
                            {a.criticality === 'high' ? (
                              <Badge size="sm" color="red.9" style={{ textTransform: 'none' }}>
                                {t('allergies.criticalities.high')}
                              </Badge>
                            ) : (
                              <Text size="xs" c="dimmed">
                                {t(`allergies.criticalities.${a.criticality}`)}
                              </Text>
                            )}
                          </Stack>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge
                            label={t(`allergies.verification.${a.verificationStatus}`)}
                            color={a.verificationStatus === 'confirmed' ? 'red' : 'gray'}
                          />
                          {a.status !== 'active' && (
                            <Text size="xs" c="dimmed">
                              {t(`allergies.statuses.${a.status}`)}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <ItemActions
                            name={name}
                            editable={writable && !erased}
                            onEdit={() => setForm({ allergy: a })}
                            onChanges={() => setRevisions({ id: a.id, what: name })}
                            onEnteredInError={() => setErroneous(a)}
                          >
                            {a.verificationStatus !== 'refuted' && (
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                color="gray"
                                c="gray.8"
                                onClick={() => change(a, { verificationStatus: 'refuted' })}
                                aria-label={`${t('allergies.refute')}: ${name}`}
                              >
                                {t('allergies.refute')}
                              </Button>
                            )}
                          </ItemActions>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <ErrorsToggle count={errors.length} shown={showErrors} onToggle={() => setShowErrors((s) => !s)} />
        </Stack>
      )}
      {form && <AllergyForm patientId={patientId} allergy={form.allergy} opened onClose={() => setForm(null)} />}
      <ItemDialogs
        patientId={patientId}
        entity="allergy"
        changes={revisions}
        onCloseChanges={() => setRevisions(null)}
        erroneous={erroneous ? substanceLabel(erroneous, t) : null}
        onCloseErroneous={() => setErroneous(null)}
        saving={edit.isPending}
        onConfirmErroneous={() =>
          erroneous && change(erroneous, { verificationStatus: 'entered_in_error' }, () => setErroneous(null))
        }
      />
    </Paper>
  );
}
