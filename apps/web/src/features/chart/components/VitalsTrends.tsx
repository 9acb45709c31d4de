import '@mantine/charts/styles.css';
import { LineChart, type LineChartSeries } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title, VisuallyHidden } from '@mantine/core';
import { ReferenceArea } from 'recharts';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import type { Vitals } from '../api/vitals.ts';

type Key = 'bp' | 'heartRate' | 'respiratoryRate' | 'temperature' | 'spo2' | 'news2';

/** A band of the y axis, shaded: a measure's normal range (NEWS2 scores 0 there), or a NEWS2 risk band. */
interface Band {
  from: number;
  to: number;
  color: string;
}

interface TrendSpec {
  key: Key;
  series: { name: string; color: string; value: (v: Vitals) => number | null }[];
  /** the axis shows at least this range; data outside widens it */
  domain: [number, number];
  bands: Band[];
  decimals?: number;
}

// hex, not CSS variables: an SVG fill attribute does not resolve var()
const NORMAL = '#c3fae8';

/** The measures charted, with the ranges where NEWS2 scores 0 (RCP 2017) shaded as normal. */
const TRENDS: TrendSpec[] = [
  {
    key: 'bp',
    series: [
      { name: 'systolic', color: 'red.7', value: (v) => v.systolic },
      { name: 'diastolic', color: 'blue.7', value: (v) => v.diastolic },
    ],
    domain: [40, 200],
    bands: [{ from: 111, to: 219, color: NORMAL }],
  },
  {
    key: 'heartRate',
    series: [{ name: 'heartRate', color: 'grape.7', value: (v) => v.heartRate }],
    domain: [30, 150],
    bands: [{ from: 51, to: 90, color: NORMAL }],
  },
  {
    key: 'respiratoryRate',
    series: [{ name: 'respiratoryRate', color: 'cyan.8', value: (v) => v.respiratoryRate }],
    domain: [5, 35],
    bands: [{ from: 12, to: 20, color: NORMAL }],
  },
  {
    key: 'temperature',
    series: [{ name: 'temperature', color: 'orange.8', value: (v) => v.temperature }],
    domain: [34, 41],
    bands: [{ from: 36.1, to: 38, color: NORMAL }],
    decimals: 1,
  },
  {
    key: 'spo2',
    series: [{ name: 'spo2', color: 'indigo.7', value: (v) => v.spo2 }],
    domain: [80, 100],
    bands: [{ from: 96, to: 100, color: NORMAL }],
  },
  {
    key: 'news2',
    series: [{ name: 'news2', color: 'dark.6', value: (v) => v.news2?.total ?? null }],
    domain: [0, 10],
    // low 0–4, medium 5–6, high 7 or more
    bands: [
      { from: 0, to: 4.5, color: '#c3fae8' },
      { from: 4.5, to: 6.5, color: '#ffd8a8' },
      { from: 6.5, to: 20, color: '#ffc9c9' },
    ],
  },
];

interface VitalsTrendsProps {
  sets: Vitals[];
  /** the NEWS2 chart (staff); the portal shows the patient's measures only */
  withNews2?: boolean;
}

/**
 * The vitals tab's trends: one small chart per measure over the sets loaded (oldest to newest), with
 * the normal range shaded, and the NEWS2 total over its risk bands. Each chart also says its latest
 * value in words for screen readers.
 */
export function VitalsTrends({ sets, withNews2 = true }: VitalsTrendsProps) {
  const { t, i18n } = useTranslation('chart');
  const f = useFormatters();
  const language = i18n.resolvedLanguage ?? 'en';
  const chronological = [...sets].reverse();
  const label = (iso: string) =>
    new Date(iso).toLocaleString(language, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: f.timezone,
    });
  const charts = TRENDS.filter((spec) => withNews2 || spec.key !== 'news2')
    .map((spec) => {
      const data = chronological
        .map((v) => ({ at: label(v.takenAt), ...Object.fromEntries(spec.series.map((s) => [s.name, s.value(v)])) }))
        .filter((row) => spec.series.some((s) => row[s.name as keyof typeof row] !== null));
      return { spec, data };
    })
    .filter((c) => c.data.length > 0);
  if (!charts.length) return null;
  const format =
    (decimals = 0) =>
    (n: number) =>
      n.toLocaleString(language, { maximumFractionDigits: decimals });

  return (
    <section aria-labelledby="vitals-trends-title" data-testid="vitals-trends">
      <Title order={3} size="h4" mb="xs" id="vitals-trends-title">
        {t('trends.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {charts.map(({ spec, data }) => {
          const series: LineChartSeries[] = spec.series.map((s) => ({
            name: s.name,
            color: s.color,
            label: t(`trends.series.${s.name}`),
          }));
          const last = data[data.length - 1] as Record<string, string | number | null>;
          const latest = spec.series
            .map((s) => last[s.name])
            .filter((v): v is number => typeof v === 'number')
            .map(format(spec.decimals))
            .join(' / ');
          return (
            <Paper key={spec.key} withBorder p="xs" radius="md" data-testid={`trend-${spec.key}`}>
              <Text size="sm" fw={600} mb={4}>
                {t(`trends.charts.${spec.key}`)}
              </Text>
              <VisuallyHidden>{t('trends.latest', { value: latest, count: data.length })}</VisuallyHidden>
              <div aria-hidden>
                <LineChart
                  h={140}
                  data={data}
                  dataKey="at"
                  series={series}
                  curveType="linear"
                  connectNulls
                  withDots
                  gridAxis="y"
                  tickLine="none"
                  valueFormatter={format(spec.decimals)}
                  yAxisProps={{
                    width: 36,
                    domain: [(min: number) => Math.min(spec.domain[0], min), (max: number) => Math.max(spec.domain[1], max)],
                  }}
                  xAxisProps={{ tick: { fontSize: 10 }, minTickGap: 24 }}
                  lineChartProps={{ accessibilityLayer: false }}
                >
                  {spec.bands.map((b) => (
                    <ReferenceArea
                      key={`${b.from}-${b.to}`}
                      // Mantine's LineChart names its y axis 'left'
                      yAxisId="left"
                      y1={b.from}
                      y2={b.to}
                      fill={b.color}
                      fillOpacity={0.45}
                      strokeOpacity={0}
                      ifOverflow="hidden"
                    />
                  ))}
                </LineChart>
              </div>
            </Paper>
          );
        })}
      </SimpleGrid>
    </section>
  );
}
