import { Group, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useImmunizations } from '../api/immunizations.ts';

/** The summary's immunizations card: the five most recent vaccines (entries made in error left out). */
export function ImmunizationsCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('immunizations');
  const f = useFormatters();
  const list = useImmunizations(patient.id);
  const latest = (list.data?.data ?? []).filter((i) => i.status !== 'entered_in_error').slice(0, 5);
  return (
    <ChartCard
      title={t('title')}
      more={{ to: `/patients/${patient.id}/chart/immunizations`, label: t('card.all') }}
      testId="summary-immunizations"
    >
      {list.isLoading ? (
        <Skeleton h={48} />
      ) : list.error ? (
        <QueryError error={list.error} onRetry={list.refetch} />
      ) : !latest.length ? (
        <Text size="sm" c="dimmed">
          {t('list.emptyTitle')}
        </Text>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {latest.map((i) => (
            <Group key={i.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
              <Text size="sm" fw={600} lineClamp={1}>
                {i.vaccine}
                {i.doseNumber ? (
                  <Text span size="xs" c="dimmed" fw={400}>
                    {' '}
                    · {t('card.dose', { n: i.doseNumber })}
                  </Text>
                ) : null}
              </Text>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {f.date(i.occurredOn)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </ChartCard>
  );
}
