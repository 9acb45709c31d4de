import { Group, Skeleton, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useVitals } from '../api/vitals.ts';
import { formatBp } from '../lib/vitals.ts';
import { News2Badge } from './News2Badge.tsx';

/** The summary's vitals card: the latest set with its NEWS2, at a glance. */
export function LatestVitalsCard({ patient }: ChartPartProps) {
  const { t, i18n } = useTranslation('chart');
  const f = useFormatters();
  const vitals = useVitals(patient.id);
  const latest = vitals.rows[0];
  const decimal = (v: number) => v.toLocaleString(i18n.resolvedLanguage ?? 'en', { maximumFractionDigits: 1 });
  const measures: [string, string | null][] = latest
    ? [
        [t('vitals.columns.bp'), latest.systolic === null ? null : formatBp(latest.systolic, latest.diastolic)],
        [t('vitals.columns.heartRate'), latest.heartRate === null ? null : String(latest.heartRate)],
        [t('vitals.columns.respiratoryRate'), latest.respiratoryRate === null ? null : String(latest.respiratoryRate)],
        [t('vitals.columns.temperature'), latest.temperature === null ? null : decimal(latest.temperature)],
        [t('vitals.columns.spo2'), latest.spo2 === null ? null : `${latest.spo2}${latest.onOxygen ? ' O₂' : ''}`],
        [t('vitals.fields.weightKg'), latest.weightKg === null ? null : decimal(latest.weightKg)],
      ]
    : [];
  return (
    <ChartCard
      title={t('summary.latestVitals')}
      more={{ to: `/patients/${patient.id}/chart/vitals`, label: t('summary.allVitals') }}
      testId="summary-vitals"
    >
      {vitals.isLoading ? (
        <Skeleton h={48} />
      ) : vitals.error ? (
        <QueryError error={vitals.error} onRetry={vitals.refetch} />
      ) : !latest ? (
        <Text size="sm" c="dimmed">
          {t('vitals.emptyTitle')}
        </Text>
      ) : (
        <>
          <Group gap="xs">
            <News2Badge news2={latest.news2} />
            <Text size="xs" c="dimmed">
              {f.dateTime(latest.takenAt)} · {t('vitals.by', { name: latest.recordedBy.name })}
            </Text>
          </Group>
          <Group gap="md" wrap="wrap">
            {measures
              .filter(([, value]) => value !== null)
              .map(([label, value]) => (
                <Text key={label} size="sm">
                  <Text span c="dimmed" size="xs">
                    {label}
                  </Text>{' '}
                  <Text span fw={600}>
                    {value}
                  </Text>
                </Text>
              ))}
          </Group>
        </>
      )}
    </ChartCard>
  );
}
