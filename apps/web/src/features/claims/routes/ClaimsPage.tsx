import { useMemo, useState, type FormEvent } from 'react';
import { Anchor, Button, Group, Modal, NativeSelect, Paper, Tabs, Text, TextInput } from '@mantine/core';
import { IconFilePlus, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CLAIM_STATUSES } from '@sanita/contracts/claims';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useSearchParamsUpdater } from '../../../lib/searchParams.ts';
import { useClaims, type ClaimFilters, type ClaimStatus, type ClaimSummary } from '../api/claims.ts';
import { ClaimStatusBadge, ScoreBadge } from '../components/Badges.tsx';
import { InvoicePicker } from '../components/InvoicePicker.tsx';

/** The claims queue: an insurer's payer's claims (or the clinic's), tabs by status with counts, sorted by score or date. */
export function ClaimsPage() {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, updateSearch] = useSearchParamsUpdater();
  const [q, setQ] = useState(search.get('q') ?? '');
  const [picking, setPicking] = useState(false);
  const status = search.get('status') ?? 'submitted';
  const sort = search.get('sort') === 'newest' ? 'newest' : 'score';
  const filters = useMemo<ClaimFilters>(() => {
    const out: ClaimFilters = { sort, limit: 100 };
    if ((CLAIM_STATUSES as readonly string[]).includes(status)) out.status = status as ClaimStatus;
    if (search.get('q')) out.q = search.get('q')!;
    return out;
  }, [search, status, sort]);
  const claims = useClaims(filters);

  const set = (key: string, value: string) =>
    updateSearch((next) => {
      if (value) next.set(key, value);
      else next.delete(key);
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set('q', q.trim());
  };

  const columns = useMemo<ColumnDef<ClaimSummary>[]>(
    () => [
      {
        header: t('queue.number'),
        cell: ({ row }) => (
          <Anchor component={Link} to={`/claims/${row.original.id}`} size="sm" ff="monospace">
            {row.original.number}
          </Anchor>
        ),
      },
      {
        header: t('queue.patient'),
        cell: ({ row }) => (
          <Text size="sm">
            {row.original.patient.name}{' '}
            <Text span c="dimmed" size="xs">
              {row.original.patient.mrn}
            </Text>
          </Text>
        ),
      },
      { header: t('queue.payer'), cell: ({ row }) => <Text size="sm">{row.original.payer.name}</Text> },
      {
        header: t('queue.serviceDate'),
        cell: ({ row }) => <Text size="sm">{f.date(row.original.submittedAt ?? row.original.createdAt)}</Text>,
      },
      {
        header: t('queue.claimed'),
        cell: ({ row }) => (
          <Text size="sm" ta="right" ff="monospace">
            {row.original.claimed} {row.original.currency}
          </Text>
        ),
      },
      {
        header: t('queue.approved'),
        cell: ({ row }) => (
          <Text size="sm" ta="right" ff="monospace">
            {row.original.approved ?? '—'}
          </Text>
        ),
      },
      { header: t('queue.score'), cell: ({ row }) => <ScoreBadge score={row.original.anomalyScore} /> },
      { id: 'status', header: '', cell: ({ row }) => <ClaimStatusBadge status={row.original.status} /> },
    ],
    [t, f],
  );
  const counts = claims.data?.counts ?? {};
  const total = Object.values(counts).reduce((s, n) => s + n, 0);

  return (
    <>
      <PageHeader
        title={t('queue.title')}
        description={t('queue.subtitle')}
        actions={
          can('claims:write') &&
          can('billing:read') && (
            <Button leftSection={<IconFilePlus size={16} aria-hidden />} onClick={() => setPicking(true)}>
              {t('queue.newClaim')}
            </Button>
          )
        }
      />
      <Modal
        opened={picking}
        onClose={() => setPicking(false)}
        title={t('picker.title')}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {picking && <InvoicePicker autoFocus onPick={(inv) => void navigate(`/claims/new?invoice=${inv.id}`)} />}
      </Modal>
      <Tabs value={status} onChange={(v) => set('status', v ?? '')}>
        <Tabs.List>
          {/* drafts are the clinic's: a payer's reviewer (no claims:write) never sees one */}
          {CLAIM_STATUSES.filter((s) => s !== 'draft' || can('claims:write')).map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`status.${s}`)} ({counts[s] ?? 0})
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="all">
            {t('status.all')} ({total})
          </Tabs.Tab>
        </Tabs.List>
        {/* the tabs filter one list: it is the active tab's panel (each tab controls a panel that exists) */}
        <Tabs.Panel value={status} pt="sm">
          <Paper p="sm" mb="sm" component="form" onSubmit={submit}>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <TextInput
                label={t('queue.search')}
                placeholder={t('queue.searchPlaceholder')}
                leftSection={<IconSearch size={16} aria-hidden />}
                value={q}
                onChange={(e) => setQ(e.currentTarget.value)}
              />
              <NativeSelect
                label={t('queue.sort')}
                value={sort}
                onChange={(e) => set('sort', e.currentTarget.value === 'score' ? '' : e.currentTarget.value)}
                data={[
                  { value: 'score', label: t('queue.byScore') },
                  { value: 'newest', label: t('queue.newest') },
                ]}
              />
              <Button type="submit" variant="default">
                {t('queue.search')}
              </Button>
            </Group>
          </Paper>
          {claims.isError ? (
            <QueryError error={claims.error} onRetry={() => void claims.refetch()} />
          ) : (
            <DataTable
              caption={t('queue.title')}
              columns={columns}
              data={claims.data?.data ?? []}
              getRowId={(c) => c.id}
              loading={claims.isLoading}
              onRowClick={(c) => void navigate(`/claims/${c.id}`)}
              empty={<EmptyState title={t('queue.empty')} description={t('queue.emptyHint')} />}
            />
          )}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
