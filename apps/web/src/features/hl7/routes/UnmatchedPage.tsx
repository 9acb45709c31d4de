import { useMemo, useState } from 'react';
import { Anchor, Badge, Button, Group, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useMessage, useUnmatched, type MessageSummary } from '../api/hl7.ts';
import { ResolveModal } from '../components/ResolveModal.tsx';

/** The lab's queue of results from outside that matched no order or patient, or whose codes map to no test. */
export function UnmatchedPage() {
  const { t } = useTranslation('hl7');
  const f = useFormatters();
  const { can } = useAuth();
  const unmatched = useUnmatched();
  const [open, setOpen] = useState<MessageSummary | null>(null);

  const columns = useMemo<ColumnDef<MessageSummary>[]>(
    () => [
      { header: t('log.received'), cell: ({ row }) => <Text size="sm">{f.dateTime(row.original.receivedAt)}</Text> },
      {
        header: t('log.sender'),
        cell: ({ row }) => (
          <Text size="sm">{[row.original.sendingApplication, row.original.sendingFacility].filter(Boolean).join(' · ')}</Text>
        ),
      },
      {
        header: t('log.patient'),
        cell: ({ row }) => (
          <Text size="sm">
            {row.original.patient
              ? `${row.original.patient.name} (${row.original.patient.mrn})`
              : (row.original.patientName ?? '—')}
            {row.original.patientIdentifier && row.original.patientIdentifier !== row.original.patient?.mrn && (
              <Text span size="xs" c="dimmed">
                {' '}
                {row.original.patientIdentifier}
              </Text>
            )}
          </Text>
        ),
      },
      { header: t('unmatched.reason'), cell: ({ row }) => <Text size="sm">{row.original.error}</Text> },
      {
        id: 'actions',
        header: '',
        cell: ({ row }) => (
          <Group gap="xs" wrap="nowrap" justify="flex-end">
            <Anchor component={Link} to={`/hl7/messages/${row.original.id}`} size="sm">
              {t('unmatched.view')}
            </Anchor>
            {can('hl7:manage') && (
              <Button size="xs" onClick={() => setOpen(row.original)}>
                {t('unmatched.resolve')}
              </Button>
            )}
          </Group>
        ),
      },
    ],
    [t, f, can],
  );

  return (
    <>
      <PageHeader
        title={t('unmatched.title')}
        description={t('unmatched.subtitle')}
        actions={
          unmatched.data && (
            <Badge
              size="lg"
              variant="light"
              color={unmatched.data.data.length ? 'orange' : 'green'}
              data-testid="unmatched-count"
            >
              {t('unmatched.count', { count: unmatched.data.data.length })}
            </Badge>
          )
        }
      />
      {unmatched.isError ? (
        <QueryError error={unmatched.error} onRetry={() => void unmatched.refetch()} />
      ) : (
        <DataTable
          caption={t('unmatched.caption')}
          columns={columns}
          data={unmatched.data?.data ?? []}
          getRowId={(m) => m.id}
          loading={unmatched.isLoading}
          minWidth={900}
          testId="hl7-unmatched"
          empty={
            <EmptyState icon={<IconChecks size={32} />} title={t('unmatched.emptyTitle')} description={t('unmatched.empty')} />
          }
        />
      )}
      {open && <ResolveFor message={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/** The modal, once the message's unmapped codes are read (the list does not carry them). */
function ResolveFor({ message, onClose }: { message: MessageSummary; onClose: () => void }) {
  const detail = useMessage(message.id);
  if (!detail.data) return null;
  return <ResolveModal message={message} unmapped={detail.data.unmapped} onClose={onClose} />;
}
