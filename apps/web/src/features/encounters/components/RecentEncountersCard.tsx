import { Anchor, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { usePatientEncounters } from '../api/encounters.ts';
import { EncounterStatusBadge } from './EncounterStatusBadge.tsx';

const RECENT = 5;

/** The summary's card of the last five encounters, each a link to its consultation. */
export function RecentEncountersCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('encounters');
  const f = useFormatters();
  const list = usePatientEncounters(patient.id);
  const recent = list.rows.slice(0, RECENT);
  return (
    <ChartCard
      title={t('list.recent')}
      more={{ to: `/patients/${patient.id}/chart/encounters`, label: t('list.all') }}
      testId="summary-encounters"
    >
      {list.isLoading ? (
        <Skeleton h={48} />
      ) : list.error ? (
        <QueryError error={list.error} onRetry={list.refetch} />
      ) : recent.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('list.emptyTitle')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {recent.map((e) => (
            <Group key={e.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/encounters/${e.id}`} size="sm">
                  {f.dateTime(e.startedAt)} · {t(`types.${e.type}`)}
                </Anchor>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {[e.reason, e.practitioner?.name].filter(Boolean).join(' · ') || '—'}
                </Text>
              </Stack>
              <EncounterStatusBadge status={e.status} />
            </Group>
          ))}
        </Stack>
      )}
    </ChartCard>
  );
}
