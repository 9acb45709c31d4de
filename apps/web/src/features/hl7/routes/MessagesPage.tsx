import { useMemo, useState, type FormEvent } from 'react';
import { Anchor, Button, Group, NativeSelect, Paper, Text, TextInput } from '@mantine/core';
import { IconArrowDownLeft, IconArrowUpRight, IconMessages, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MESSAGE_STATUSES } from '@sanita/contracts/hl7';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useMessages, type MessageFilters, type MessageSummary } from '../api/hl7.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';

const TYPES = ['ORU^R01', 'ADT', 'ADT^A01', 'ADT^A04', 'ADT^A08', 'ORM^O01'] as const;
const LIMIT = 100;

/** The HL7 message log: search by control id, MRN, order number, name or text; filter by status, type, direction. */
export function MessagesPage() {
  const { t } = useTranslation('hl7');
  const f = useFormatters();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const [q, setQ] = useState(search.get('q') ?? '');
  const filters = useMemo<MessageFilters>(() => {
    const out: MessageFilters = { limit: LIMIT };
    const status = search.get('status');
    const type = search.get('type');
    const direction = search.get('direction');
    if (search.get('q')) out.q = search.get('q')!;
    if (status && (MESSAGE_STATUSES as readonly string[]).includes(status)) out.status = status as MessageFilters['status'];
    if (type) out.type = type;
    if (direction === 'in' || direction === 'out') out.direction = direction;
    return out;
  }, [search]);
  const messages = useMessages(filters);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set('q', q.trim());
  };

  const columns = useMemo<ColumnDef<MessageSummary>[]>(
    () => [
      {
        header: t('log.received'),
        cell: ({ row }) => (
          <Group gap={6} wrap="nowrap">
            {row.original.direction === 'in' ? (
              <IconArrowDownLeft size={16} aria-label={t('direction.in')} />
            ) : (
              <IconArrowUpRight size={16} aria-label={t('direction.out')} />
            )}
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {f.dateTime(row.original.receivedAt)}
            </Text>
          </Group>
        ),
      },
      {
        header: t('log.message'),
        cell: ({ row }) => (
          <Anchor component={Link} to={`/hl7/messages/${row.original.id}`} size="sm" ff="monospace">
            {row.original.messageType || '—'}
          </Anchor>
        ),
      },
      {
        header: t('log.control'),
        cell: ({ row }) => (
          <Text size="sm" ff="monospace">
            {row.original.controlId || '—'}
          </Text>
        ),
      },
      {
        header: t('log.sender'),
        cell: ({ row }) => (
          <Text size="sm">
            {[row.original.sendingApplication, row.original.sendingFacility].filter(Boolean).join(' · ') || '—'}
          </Text>
        ),
      },
      {
        header: t('log.patient'),
        cell: ({ row }) =>
          row.original.patient ? (
            <Text size="sm">
              {row.original.patient.name}{' '}
              <Text span c="dimmed" size="xs">
                {row.original.patient.mrn}
              </Text>
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {row.original.patientName ?? '—'}
            </Text>
          ),
      },
      { header: t('log.status'), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
      {
        header: t('log.ack'),
        cell: ({ row }) => (
          <Text size="sm" ff="monospace">
            {row.original.ackCode ?? '—'}
          </Text>
        ),
      },
    ],
    [t, f],
  );

  return (
    <>
      <PageHeader title={t('log.title')} description={t('log.subtitle')} />
      <Paper p="sm" mb="sm" component="form" onSubmit={submit}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('log.search')}
            placeholder={t('log.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={320}
            maxLength={100}
          />
          <NativeSelect
            label={t('log.status')}
            value={filters.status ?? ''}
            onChange={(e) => set('status', e.currentTarget.value)}
            data={[{ value: '', label: t('log.any') }, ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          />
          <NativeSelect
            label={t('log.type')}
            value={filters.type ?? ''}
            onChange={(e) => set('type', e.currentTarget.value)}
            data={[{ value: '', label: t('log.any') }, ...TYPES.map((s) => ({ value: s, label: s }))]}
          />
          <NativeSelect
            label={t('log.direction')}
            value={filters.direction ?? ''}
            onChange={(e) => set('direction', e.currentTarget.value)}
            data={[
              { value: '', label: t('log.any') },
              { value: 'in', label: t('direction.in') },
              { value: 'out', label: t('direction.out') },
            ]}
          />
          <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />}>
            {t('log.apply')}
          </Button>
        </Group>
      </Paper>
      {messages.isError ? (
        <QueryError error={messages.error} onRetry={() => void messages.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('log.caption')}
            columns={columns}
            data={messages.data?.data ?? []}
            getRowId={(m) => m.id}
            loading={messages.isLoading}
            onRowClick={(m) => void navigate(`/hl7/messages/${m.id}`)}
            minWidth={900}
            testId="hl7-messages"
            empty={<EmptyState icon={<IconMessages size={32} />} title={t('log.emptyTitle')} description={t('log.empty')} />}
          />
          {messages.data && messages.data.data.length >= LIMIT && (
            <Text size="xs" c="dimmed" mt="xs">
              {t('log.limitNote', { count: LIMIT })}
            </Text>
          )}
        </>
      )}
    </>
  );
}
