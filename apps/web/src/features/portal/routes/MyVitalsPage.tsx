import { Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { VitalsTrends } from '../../chart/index.ts';
import { useMyVitals, type Vitals } from '../api/chart.ts';

type Measure = 'bp' | 'heartRate' | 'respiratoryRate' | 'temperature' | 'spo2' | 'weight' | 'bmi' | 'glucose';

/** Each measure as the patient reads it, or null when the set lacks it. */
const MEASURES: { key: Measure; value: (v: Vitals, n: (x: number, d?: number) => string) => string | null }[] = [
  { key: 'bp', value: (v) => (v.systolic !== null && v.diastolic !== null ? `${v.systolic}/${v.diastolic}` : null) },
  { key: 'heartRate', value: (v) => (v.heartRate === null ? null : String(v.heartRate)) },
  { key: 'respiratoryRate', value: (v) => (v.respiratoryRate === null ? null : String(v.respiratoryRate)) },
  { key: 'temperature', value: (v, n) => (v.temperature === null ? null : n(v.temperature, 1)) },
  { key: 'spo2', value: (v) => (v.spo2 === null ? null : String(v.spo2)) },
  { key: 'weight', value: (v, n) => (v.weightKg === null ? null : n(v.weightKg, 1)) },
  { key: 'bmi', value: (v, n) => (v.bmi === null ? null : n(v.bmi, 1)) },
  { key: 'glucose', value: (v, n) => (v.glucose === null ? null : n(v.glucose, 1)) },
];
/** The columns of the earlier sets' table (the rest are in the latest set and the trends). */
const TABLE = ['bp', 'heartRate', 'temperature', 'weight', 'glucose'] as const satisfies readonly Measure[];
/** On a phone the table leaves out the temperature (its trend is above) so that it fits without scrolling. */
const NARROW_HIDDEN: readonly Measure[] = ['temperature'];

/** The portal's "My measurements": my latest set, the trends of my sets, and the earlier sets. */
export function MyVitalsPage() {
  const { t, i18n } = useTranslation('portal');
  const f = useFormatters();
  const q = useMyVitals();
  const language = i18n.resolvedLanguage ?? 'en';
  const dayMonth = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', timeZone: f.timezone });
  const year = new Intl.DateTimeFormat(language, { year: 'numeric', timeZone: f.timezone });
  const n = (x: number, decimals = 0) => x.toLocaleString(language, { maximumFractionDigits: decimals });
  const shown = (v: Vitals, key: Measure) => {
    const value = MEASURES.find((m) => m.key === key)!.value(v, n);
    return value === null ? null : t(`myChart.vitals.units.${key}`, { value });
  };

  return (
    <>
      <PageHeader title={t('myChart.vitals.title')} description={t('myChart.vitals.subtitle')} />
      {q.isPending ? (
        <Stack aria-busy>
          <Skeleton h={120} radius="md" />
          <Skeleton h={200} radius="md" />
        </Stack>
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.data.length ? (
        <EmptyState
          icon={<IconHeartbeat size={22} />}
          title={t('myChart.vitals.emptyTitle')}
          description={t('myChart.vitals.empty')}
        />
      ) : (
        <Stack gap="md">
          <Paper
            component="section"
            withBorder
            p="sm"
            radius="md"
            aria-labelledby="portal-latest-vitals"
            data-testid="portal-latest-vitals"
          >
            <Title order={2} size="h4" id="portal-latest-vitals" mb="xs">
              {t('myChart.vitals.latest', { date: f.dateTime(q.data.data[0]!.takenAt) })}
            </Title>
            <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="xs" verticalSpacing={6} component="dl" m={0}>
              {MEASURES.map(({ key }) => {
                const value = shown(q.data.data[0]!, key);
                return value === null ? null : (
                  <div key={key}>
                    <Text component="dt" size="xs" c="dimmed">
                      {t(`myChart.vitals.${key}`)}
                    </Text>
                    <Text component="dd" m={0} fw={700}>
                      {value}
                    </Text>
                  </div>
                );
              })}
            </SimpleGrid>
          </Paper>
          <VitalsTrends sets={q.data.data} withNews2={false} />
          {q.data.data.length > 1 && (
            <section aria-labelledby="portal-vitals-history">
              <Title order={2} size="h4" id="portal-vitals-history" mb="xs">
                {t('myChart.vitals.history')}
              </Title>
              <Table striped verticalSpacing={4} horizontalSpacing={6} fz="sm" data-testid="portal-vitals-table">
                <caption>
                  <VisuallyHidden>{t('myChart.vitals.caption')}</VisuallyHidden>
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('myChart.vitals.when')}</Table.Th>
                    {TABLE.map((key) => (
                      <Table.Th key={key} visibleFrom={NARROW_HIDDEN.includes(key) ? 'xs' : undefined}>
                        {t(`myChart.vitals.columns.${key}`)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.data.data.map((v) => (
                    <Table.Tr key={v.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {/* the day, and its year below: the date column stays narrow on a phone */}
                        <time dateTime={v.takenAt}>
                          {dayMonth.format(new Date(v.takenAt))}
                          <Text component="span" display="block" size="xs" c="dimmed">
                            {year.format(new Date(v.takenAt))}
                          </Text>
                        </time>
                      </Table.Td>
                      {TABLE.map((key) => (
                        <Table.Td
                          key={key}
                          visibleFrom={NARROW_HIDDEN.includes(key) ? 'xs' : undefined}
                          style={{ whiteSpace: 'nowrap' }}
                        >
                          {MEASURES.find((m) => m.key === key)!.value(v, n) ?? '—'}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </section>
          )}
        </Stack>
      )}
    </>
  );
}
