import { useMemo } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AccessLogEntry } from '@sanita/contracts/patients';
import type { Page } from '../lib/api/useCursorQuery.ts';
import { useCursorQuery } from '../lib/api/useCursorQuery.ts';
import { useFormatters } from '../lib/dates.ts';
import { auditActionLabel, roleLabel } from '../lib/labels.ts';
import { DataTable } from './DataTable.tsx';
import { EmptyState } from './EmptyState.tsx';
import { OutcomeBadge } from './OutcomeBadge.tsx';
import { QueryError } from './QueryError.tsx';

interface AccessLogTableProps {
  queryKey: readonly unknown[];
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<AccessLogEntry>>;
  caption: string;
}

/** Who read or changed a patient record, newest first; shared by staff and the patient portal. */
export function AccessLogTable({ queryKey, fetchPage, caption }: AccessLogTableProps) {
  const { t } = useTranslation();
  const f = useFormatters();
  const log = useCursorQuery(queryKey, fetchPage);

  const columns = useMemo<ColumnDef<AccessLogEntry>[]>(
    () => [
      {
        id: 'at',
        header: t('accessLog.when'),
        cell: ({ row }) => (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {f.dateTime(row.original.at)}
          </Text>
        ),
        meta: { width: 170 },
      },
      { id: 'actor', header: t('accessLog.who'), cell: ({ row }) => row.original.actorName ?? t('accessLog.system') },
      {
        id: 'role',
        header: t('accessLog.role'),
        cell: ({ row }) => (row.original.actorRole ? roleLabel(t, row.original.actorRole) : '—'),
      },
      { id: 'action', header: t('accessLog.action'), cell: ({ row }) => auditActionLabel(t, row.original.action) },
      {
        id: 'outcome',
        header: t('accessLog.outcome'),
        cell: ({ row }) => <OutcomeBadge outcome={row.original.outcome} />,
        meta: { width: 120 },
      },
    ],
    [t, f],
  );

  if (log.error) return <QueryError error={log.error} onRetry={log.refetch} />;
  return (
    <DataTable
      caption={caption}
      columns={columns}
      data={log.rows}
      getRowId={(r) => String(r.id)}
      loading={log.isLoading}
      hasMore={log.hasMore}
      loadingMore={log.loadingMore}
      onLoadMore={log.loadMore}
      empty={
        <EmptyState icon={<IconShieldCheck />} title={t('accessLog.emptyTitle')} description={t('accessLog.emptyDescription')} />
      }
    />
  );
}
