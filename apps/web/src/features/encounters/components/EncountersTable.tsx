import { useMemo } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { Anchor, Badge, Text } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { usePatientEncounters, type Encounter } from '../api/encounters.ts';
import { EncounterStatusBadge } from './EncounterStatusBadge.tsx';

/** The patient's encounters, newest first, paged; each opens its consultation (a link in its first cell). */
export function EncountersTable({ patientId }: { patientId: string }) {
  const { t } = useTranslation('encounters');
  const f = useFormatters();
  const navigate = useNavigate();
  const list = usePatientEncounters(patientId);

  const columns = useMemo<ColumnDef<Encounter>[]>(
    () => [
      {
        id: 'date',
        header: t('list.date'),
        cell: ({ row }) => (
          <Anchor
            component={Link}
            to={`/encounters/${row.original.id}`}
            size="sm"
            style={{ whiteSpace: 'nowrap' }}
            aria-label={t('list.open', { date: f.dateTime(row.original.startedAt) })}
          >
            {f.dateTime(row.original.startedAt)}
          </Anchor>
        ),
        meta: { width: 170 },
      },
      {
        id: 'type',
        header: t('list.type'),
        cell: ({ row }) => (
          <Badge
            variant="outline"
            color={row.original.type === 'emergency' ? 'red' : 'gray'}
            styles={{ root: { textTransform: 'none' } }}
          >
            {t(`types.${row.original.type}`)}
          </Badge>
        ),
        meta: { width: 130 },
      },
      {
        id: 'reason',
        header: t('list.reason'),
        cell: ({ row }) => (
          <Text size="sm" lineClamp={2}>
            {row.original.reason ?? '—'}
          </Text>
        ),
      },
      {
        id: 'practitioner',
        header: t('list.practitioner'),
        cell: ({ row }) => <Text size="sm">{row.original.practitioner?.name ?? row.original.startedBy.name}</Text>,
        meta: { width: 180 },
      },
      {
        id: 'status',
        header: t('list.status'),
        cell: ({ row }) => <EncounterStatusBadge status={row.original.status} />,
        meta: { width: 120 },
      },
    ],
    [t, f],
  );

  if (list.error) return <QueryError error={list.error} onRetry={list.refetch} />;
  return (
    <DataTable
      caption={t('list.caption')}
      columns={columns}
      data={list.rows}
      getRowId={(e) => e.id}
      loading={list.isLoading}
      onRowClick={(e) => void navigate(`/encounters/${e.id}`)}
      hasMore={list.hasMore}
      loadingMore={list.loadingMore}
      onLoadMore={list.loadMore}
      testId="encounters-table"
      empty={<EmptyState icon={<IconStethoscope size={22} />} title={t('list.emptyTitle')} description={t('list.empty')} />}
    />
  );
}
