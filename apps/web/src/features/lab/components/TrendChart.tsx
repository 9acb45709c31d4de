import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { CloseButton, Group, Paper, Skeleton, Text, Title, VisuallyHidden } from '@mantine/core';
import { ReferenceArea } from 'recharts';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useTrend } from '../api/lab.ts';
import { rangeParts, trendBand } from '../lib/results.ts';
import { testName, unitLabel } from './labels.ts';

// hex, not CSS variables: an SVG fill attribute does not resolve var()
const NORMAL = '#c3fae8';

/** One analyte of a patient over time, with the reference band of the patient today shaded. */
export function TrendChart({ patientId, testId, onClose }: { patientId: string; testId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const trend = useTrend(patientId, testId);
  const language = i18n.resolvedLanguage ?? 'en';

  if (trend.isPending) return <Skeleton h={220} radius="md" />;
  if (trend.isError) return <QueryError error={trend.error} onRetry={() => void trend.refetch()} />;
  const { unit, range, points } = trend.data;
  const chronological = [...points].sort((a, b) => a.at.localeCompare(b.at));
  const data = chronological.map((p) => ({
    at: new Date(p.at).toLocaleString(language, { day: 'numeric', month: 'short', year: '2-digit', timeZone: f.timezone }),
    value: p.value,
  }));
  const band = trendBand(
    range,
    chronological.map((p) => p.value),
  );
  const parts = rangeParts(range);
  const last = chronological[chronological.length - 1];
  const titleId = `lab-trend-${testId}`;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby={titleId} data-testid="lab-trend">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h5" id={titleId}>
          {t('chart.trendTitle', { name: testName(trend.data, i18n.resolvedLanguage), unit: unitLabel(unit) })}
        </Title>
        <CloseButton aria-label={t('chart.closeTrend')} onClick={onClose} />
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {parts.normal ? t('chart.band', { range: parts.normal }) : t('entry.noRange')}
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noPoints')}
        </Text>
      ) : (
        <>
          <VisuallyHidden>
            {last &&
              t('chart.trendSummary', { count: data.length, value: last.value, unit: unitLabel(unit), when: f.date(last.at) })}
          </VisuallyHidden>
          <div aria-hidden>
            <LineChart
              h={220}
              data={data}
              dataKey="at"
              series={[{ name: 'value', color: 'indigo.7', label: testName(trend.data, i18n.resolvedLanguage) }]}
              curveType="linear"
              withDots
              gridAxis="y"
              tickLine="none"
              valueFormatter={(n: number) => n.toLocaleString(language, { maximumFractionDigits: 2 })}
              yAxisProps={{
                width: 48,
                domain: [
                  (min: number) => Math.floor(Math.min(min, band?.from ?? min) * 0.9),
                  (max: number) => Math.ceil(Math.max(max, band?.to ?? max) * 1.1),
                ],
              }}
              lineChartProps={{ accessibilityLayer: false }}
            >
              {band && (
                <ReferenceArea
                  yAxisId="left"
                  y1={band.from}
                  y2={band.to}
                  fill={NORMAL}
                  fillOpacity={0.5}
                  strokeOpacity={0}
                  ifOverflow="hidden"
                />
              )}
            </LineChart>
          </div>
        </>
      )}
    </Paper>
  );
}
