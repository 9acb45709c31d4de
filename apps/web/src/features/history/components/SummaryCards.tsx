import { Badge, Group, List, Skeleton, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useAllergies, useProblems } from '../api/history.ts';
import { activeAllergies, activeProblems, substanceLabel } from '../lib/text.ts';

const SHOWN = 6;

/** The summary's card of the active problems, coded ones with their ICD-10-CM code. */
export function ActiveProblemsCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  const problems = useProblems(patient.id);
  const active = activeProblems(problems.data ?? []);
  return (
    <ChartCard
      title={t('summary.problems')}
      more={{ to: `/patients/${patient.id}/chart/problems`, label: t('summary.all') }}
      testId="summary-problems"
    >
      {problems.isLoading ? (
        <Skeleton h={48} />
      ) : problems.error ? (
        <QueryError error={problems.error} onRetry={() => void problems.refetch()} />
      ) : !active.length ? (
        <Text size="sm" c="dimmed">
          {t('summary.noActiveProblems')}
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {active.slice(0, SHOWN).map((p) => (
            <List.Item key={p.id}>
              <Text span size="sm" fw={500}>
                {p.description}
              </Text>
              {p.code && (
                <Text span size="xs" ff="monospace" c="dimmed" ml={6}>
                  {p.code}
                </Text>
              )}
              {p.onsetDate && (
                <Text span size="xs" c="dimmed" ml={6}>
                  {t('common.since', { date: f.date(p.onsetDate) })}
                </Text>
              )}
            </List.Item>
          ))}
          {active.length > SHOWN && (
            <Text size="xs" c="dimmed">
              {t('summary.more', { count: active.length - SHOWN })}
            </Text>
          )}
        </List>
      )}
    </ChartCard>
  );
}

/** The summary's allergy card: each active allergy with its reaction, severity and criticality. */
export function AllergiesCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('history');
  const allergies = useAllergies(patient.id);
  const list = allergies.data;
  const active = activeAllergies(list?.data ?? []);
  return (
    <ChartCard
      title={t('summary.allergies')}
      more={{ to: `/patients/${patient.id}/chart/problems`, label: t('summary.all') }}
      testId="summary-allergies"
    >
      {allergies.isLoading ? (
        <Skeleton h={48} />
      ) : allergies.error ? (
        <QueryError error={allergies.error} onRetry={() => void allergies.refetch()} />
      ) : active.length ? (
        <List size="sm" spacing={4}>
          {active.map((a) => (
            <List.Item key={a.id}>
              <Group gap={6} wrap="wrap">
                <Text span size="sm" fw={700} c="red.9">
                  {substanceLabel(a, t)}
                </Text>
                {a.severity && (
                  <Text span size="xs">
                    {t(`allergies.severities.${a.severity}`)}
                  </Text>
                )}
                {a.criticality === 'high' && (
                  <Badge size="xs" color="red.9" style={{ textTransform: 'none' }}>
                    {t('allergies.criticalities.high')}
                  </Badge>
                )}
                {a.type === 'intolerance' && (
                  <Text span size="xs" c="dimmed">
                    {t('allergies.types.intolerance')}
                  </Text>
                )}
              </Group>
              {(a.reaction || a.manifestations.length > 0) && (
                <Text size="xs" c="dimmed">
                  {[a.manifestations.map((m) => t(`allergies.manifestations.${m}`)).join(', '), a.reaction]
                    .filter(Boolean)
                    .join(' — ')}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      ) : list?.noKnownAllergies ? (
        <Text size="sm" c="teal.9" fw={600}>
          {t('allergies.noKnown')}
        </Text>
      ) : (
        <Text size="sm" c="dark.9" bg="yellow.1" px={6} py={2} style={{ borderRadius: 4 }}>
          {list?.data.length ? t('allergies.noneActive') : t('allergies.notRecorded')}
        </Text>
      )}
    </ChartCard>
  );
}
