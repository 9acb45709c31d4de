import { useMemo, useState } from 'react';
import { Alert, Anchor, Button, Group, NativeSelect, Paper, SimpleGrid, Switch, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconClipboardList, IconLinkOff, IconShieldCheck } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { OutcomeBadge } from '../../../components/OutcomeBadge.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import { auditActionLabel, roleLabel } from '../../../lib/labels.ts';
import { useAuditEvents, useVerifyChain, type AuditEvent, type AuditFilters } from '../api/audit.ts';
import { AuditEventDrawer } from '../components/AuditEventDrawer.tsx';

// actorUserId and patientId are kept for links that name one exactly; the form searches by name or MRN
const FIELDS = ['action', 'actor', 'patient', 'actorUserId', 'patientId', 'outcome', 'from', 'to', 'renewals'] as const;
type Field = (typeof FIELDS)[number];
type FormState = Record<Field, string>;

function readForm(search: URLSearchParams): FormState {
  return Object.fromEntries(FIELDS.map((k) => [k, search.get(k) ?? ''])) as FormState;
}

export function AuditPage() {
  const { t } = useTranslation('admin');
  const f = useFormatters();
  const [search, setSearch] = useSearchParams();
  const applied = useMemo(() => readForm(search), [search]);
  const [draft, setDraft] = useState<FormState>(applied);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const verify = useVerifyChain();

  // Dates are picked as clinic calendar days; the API wants instants.
  const filters = useMemo<AuditFilters>(() => {
    const dayStart = (d: string) => dayjs.tz(d, f.timezone).startOf('day');
    const out: AuditFilters = {};
    if (applied.action) out.action = applied.action;
    if (applied.actorUserId) out.actorUserId = applied.actorUserId;
    if (applied.patientId) out.patientId = applied.patientId;
    if (applied.actor) out.actor = applied.actor;
    if (applied.patient) out.patient = applied.patient;
    if (applied.renewals === 'show') out.sessionRenewals = 'show';
    // the select offers exactly the outcomes the API filters on
    if (applied.outcome) out.outcome = applied.outcome as AuditFilters['outcome'];
    if (applied.from) out.from = dayStart(applied.from).toISOString();
    if (applied.to) out.to = dayStart(applied.to).add(1, 'day').toISOString();
    return out;
  }, [applied, f.timezone]);
  const events = useAuditEvents(filters);

  const apply = (next: FormState) => {
    const params = new URLSearchParams();
    for (const key of FIELDS) if (next[key].trim()) params.set(key, next[key].trim());
    setSearch(params, { replace: true });
  };
  const filterBy = (patch: Partial<FormState>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    apply(next);
  };

  const columns = useMemo<ColumnDef<AuditEvent>[]>(
    () => [
      {
        id: 'at',
        header: t('admin.audit.when'),
        cell: ({ row }) => (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => setSelected(row.original)}
            style={{ whiteSpace: 'nowrap' }}
          >
            {f.dateTime(row.original.at)}
          </Anchor>
        ),
        meta: { width: 160 },
      },
      {
        id: 'actor',
        header: t('admin.audit.actor'),
        cell: ({ row }) =>
          row.original.actorUserId ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              c="inherit"
              title={t('admin.audit.filterByActor')}
              onClick={() => filterBy({ actor: row.original.actorName ?? '', actorUserId: row.original.actorUserId ?? '' })}
            >
              {row.original.actorName ?? row.original.actorUserId}
              {row.original.actorRole && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {roleLabel(t, row.original.actorRole)}
                </Text>
              )}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              {t('accessLog.system')}
            </Text>
          ),
      },
      {
        id: 'action',
        header: t('admin.audit.action'),
        cell: ({ row }) => (
          <Text size="sm" title={row.original.action}>
            {auditActionLabel(t, row.original.action)}
          </Text>
        ),
      },
      {
        id: 'resource',
        header: t('admin.audit.resource'),
        cell: ({ row }) =>
          row.original.patientId ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              title={t('admin.audit.filterByPatient')}
              onClick={() => filterBy({ patient: row.original.patientMrn ?? '', patientId: row.original.patientId ?? '' })}
            >
              {row.original.patientName
                ? `${row.original.patientName} · ${row.original.patientMrn ?? ''}`
                : t('admin.audit.patientShort', { id: row.original.patientId.slice(0, 8) })}
            </Anchor>
          ) : (
            <Text size="sm">{row.original.resourceType ?? '—'}</Text>
          ),
      },
      {
        id: 'outcome',
        header: t('admin.audit.outcome'),
        cell: ({ row }) => <OutcomeBadge outcome={row.original.outcome} />,
        meta: { width: 110 },
      },
      {
        id: 'ip',
        header: t('admin.audit.ip'),
        cell: ({ row }) => (
          <Text size="xs" ff="monospace">
            {row.original.ip ?? '—'}
          </Text>
        ),
        meta: { width: 130 },
      },
    ],
    // filterBy closes over the draft; rebuilding the columns with it keeps the click in sync.
    [t, f, draft],
  );

  const result = verify.data;
  const anyFilter = FIELDS.some((k) => applied[k]);

  return (
    <>
      <PageHeader
        title={t('admin.audit.title')}
        description={t('admin.audit.subtitle')}
        actions={
          <Button
            leftSection={<IconShieldCheck size={16} aria-hidden />}
            loading={verify.isPending}
            onClick={() => verify.mutate(undefined, { onError: (err) => notifyError(err, t) })}
          >
            {t('admin.audit.verify')}
          </Button>
        }
      />
      <div aria-live="polite">
        {result &&
          (result.ok ? (
            <Alert
              color="green"
              icon={<IconCircleCheck aria-hidden />}
              title={t('admin.audit.intactTitle')}
              mb="md"
              data-testid="chain-result"
            >
              {t('admin.audit.intact', {
                count: result.checked,
                checked: f.number(result.checked),
                head: result.headSeq,
                signed: result.signedHeads,
              })}
            </Alert>
          ) : (
            <Alert
              color="red"
              icon={<IconLinkOff aria-hidden />}
              title={t('admin.audit.brokenTitle')}
              mb="md"
              data-testid="chain-result"
            >
              {result.firstBad
                ? t('admin.audit.broken', {
                    seq: result.firstBad.seq ?? '?',
                    id: result.firstBad.auditId ?? '?',
                    reason: result.firstBad.reason,
                  })
                : t('admin.audit.brokenUnknown')}
              <Text size="xs" mt={4}>
                {t('admin.audit.checkedSoFar', { count: result.checked, checked: f.number(result.checked) })}
              </Text>
            </Alert>
          ))}
      </div>

      <Paper p="sm" mb="md" component="section" aria-label={t('admin.audit.filters')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="sm">
            <TextInput
              label={t('admin.audit.action')}
              placeholder="auth.*"
              title={t('admin.audit.actionHelp')}
              value={draft.action}
              onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('admin.audit.outcome')}
              value={draft.outcome}
              onChange={(e) => setDraft({ ...draft, outcome: e.currentTarget.value })}
              data={[
                { value: '', label: t('admin.audit.anyOutcome') },
                { value: 'success', label: t('audit.outcome.success') },
                { value: 'failure', label: t('audit.outcome.failure') },
                { value: 'denied', label: t('audit.outcome.denied') },
              ]}
            />
            <TextInput
              label={t('admin.audit.from')}
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.audit.to')}
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.audit.actorSearch')}
              placeholder={t('admin.audit.actorSearchPlaceholder')}
              type="search"
              maxLength={100}
              value={draft.actor}
              // a typed search replaces the exact user a click chose
              onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value, actorUserId: '' })}
            />
            <TextInput
              label={t('admin.audit.patientSearch')}
              placeholder={t('admin.audit.patientSearchPlaceholder')}
              type="search"
              maxLength={100}
              value={draft.patient}
              onChange={(e) => setDraft({ ...draft, patient: e.currentTarget.value, patientId: '' })}
            />
          </SimpleGrid>
          <Switch
            mt="sm"
            label={t('admin.audit.showRenewals')}
            description={t('admin.audit.showRenewalsHelp')}
            checked={draft.renewals === 'show'}
            onChange={(e) => {
              const next = { ...draft, renewals: e.currentTarget.checked ? 'show' : '' };
              setDraft(next);
              apply(next);
            }}
          />
          <Group justify="flex-end" mt="sm" gap="xs">
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                const cleared = Object.fromEntries(FIELDS.map((k) => [k, ''])) as FormState;
                setDraft(cleared);
                apply(cleared);
              }}
            >
              {t('common.clearFilters')}
            </Button>
            <Button type="submit" size="xs">
              {t('common.applyFilters')}
            </Button>
          </Group>
        </form>
      </Paper>

      {events.error ? (
        <QueryError error={events.error} onRetry={events.refetch} />
      ) : (
        <DataTable
          caption={t('admin.audit.title')}
          columns={columns}
          data={events.rows}
          getRowId={(e) => String(e.id)}
          loading={events.isLoading}
          hasMore={events.hasMore}
          loadingMore={events.loadingMore}
          onLoadMore={events.loadMore}
          onRowClick={setSelected}
          minWidth={860}
          empty={
            <EmptyState
              icon={<IconClipboardList />}
              title={t('admin.audit.emptyTitle')}
              description={anyFilter ? t('admin.audit.emptyFiltered') : t('admin.audit.empty')}
            />
          }
        />
      )}
      <AuditEventDrawer event={selected} onClose={() => setSelected(null)} />
    </>
  );
}
