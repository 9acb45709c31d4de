import { useMemo } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useVitals, type Vitals } from '../api/vitals.ts';
import { formatBp } from '../lib/vitals.ts';
import { News2Badge } from './News2Badge.tsx';

const dash = (v: number | string | null) => (v === null ? '—' : v);

/** The patient's sets of vitals, newest first, dense: one row a set. */
export function VitalsTable({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation('chart');
  const f = useFormatters();
  const vitals = useVitals(patientId);
  const language = i18n.resolvedLanguage ?? 'en';

  const columns = useMemo<ColumnDef<Vitals>[]>(() => {
    const decimal = (v: number | null) => (v === null ? '—' : v.toLocaleString(language, { maximumFractionDigits: 1 }));
    const num = (id: keyof Vitals, header: string, render: (v: Vitals) => React.ReactNode) =>
      ({ id, header, cell: ({ row }) => render(row.original), meta: { align: 'right' } }) satisfies ColumnDef<Vitals>;
    return [
      {
        id: 'takenAt',
        header: t('vitals.columns.takenAt'),
        cell: ({ row }) => (
          <Stack gap={0}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {f.dateTime(row.original.takenAt)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('vitals.by', { name: row.original.recordedBy.name })}
            </Text>
            {row.original.note && (
              <Text size="xs" fs="italic" lineClamp={2} maw={220} title={row.original.note}>
                {row.original.note}
              </Text>
            )}
          </Stack>
        ),
        meta: { width: 190 },
      },
      {
        id: 'news2',
        header: t('vitals.columns.news2'),
        cell: ({ row }) => <News2Badge news2={row.original.news2} />,
        meta: { width: 140 },
      },
      num('systolic', t('vitals.columns.bp'), (v) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatBp(v.systolic, v.diastolic)}
        </Text>
      )),
      num('heartRate', t('vitals.columns.heartRate'), (v) => dash(v.heartRate)),
      num('respiratoryRate', t('vitals.columns.respiratoryRate'), (v) => dash(v.respiratoryRate)),
      num('temperature', t('vitals.columns.temperature'), (v) => decimal(v.temperature)),
      num('spo2', t('vitals.columns.spo2'), (v) => (
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <span>{v.spo2 === null ? '—' : `${v.spo2} %`}</span>
          {v.onOxygen && (
            <Badge
              size="xs"
              variant="light"
              color="blue"
              styles={{ root: { textTransform: 'none' } }}
              title={t('vitals.fields.onOxygen')}
            >
              {t('vitals.onOxygenShort')}
            </Badge>
          )}
          {v.spo2 !== null && v.spo2Scale === 2 && (
            <Badge
              size="xs"
              variant="outline"
              color="grape"
              styles={{ root: { textTransform: 'none' } }}
              title={t('vitals.scale2Title')}
            >
              {t('vitals.scale2Short')}
            </Badge>
          )}
        </Group>
      )),
      {
        id: 'consciousness',
        header: t('vitals.columns.consciousness'),
        cell: ({ row }) =>
          row.original.consciousness ? (
            <Tooltip label={t(`vitals.consciousnessLevels.${row.original.consciousness}`)} withArrow>
              <Text
                size="sm"
                fw={row.original.consciousness === 'A' ? undefined : 700}
                c={row.original.consciousness === 'A' ? undefined : 'red.8'}
                span
              >
                {row.original.consciousness}
              </Text>
            </Tooltip>
          ) : (
            '—'
          ),
        meta: { align: 'center' },
      },
      num('bmi', t('vitals.columns.body'), (v) =>
        v.weightKg === null && v.heightCm === null ? (
          '—'
        ) : (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {decimal(v.weightKg)} / {decimal(v.heightCm)}
            {v.bmi !== null && (
              <Text span size="xs" c="dimmed">
                {' '}
                · {decimal(v.bmi)}
              </Text>
            )}
          </Text>
        ),
      ),
      num('pain', t('vitals.columns.pain'), (v) => dash(v.pain)),
      num('glucose', t('vitals.columns.glucose'), (v) => decimal(v.glucose)),
    ];
  }, [t, f, language]);

  if (vitals.error) return <QueryError error={vitals.error} onRetry={vitals.refetch} />;
  return (
    <DataTable
      caption={t('vitals.listCaption')}
      columns={columns}
      data={vitals.rows}
      getRowId={(r) => r.id}
      loading={vitals.isLoading}
      hasMore={vitals.hasMore}
      loadingMore={vitals.loadingMore}
      onLoadMore={vitals.loadMore}
      minWidth={900}
      testId="vitals-table"
      empty={<EmptyState icon={<IconHeartbeat />} title={t('vitals.emptyTitle')} description={t('vitals.empty')} />}
    />
  );
}
