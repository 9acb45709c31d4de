import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  Collapse,
  Group,
  Kbd,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconSearch, IconUserPlus, IconUserSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { PatientStatusBadge } from '../../../components/PatientStatusBadge.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import type { PatientSummary } from '@sanita/contracts/patients';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { usePatientSearch, type PatientSearchParams } from '../api/patients.ts';

const ADVANCED = ['mrn', 'phone', 'birthDate', 'nationalId'] as const;
type Advanced = (typeof ADVANCED)[number];

function paramsFromUrl(search: URLSearchParams): PatientSearchParams {
  const params: PatientSearchParams = {};
  const q = search.get('q');
  if (q) params.q = q;
  for (const key of ADVANCED) {
    const value = search.get(key);
    if (value) params[key] = value;
  }
  if (search.get('allClinics') === 'true') params.allClinics = true;
  return params;
}

export function PatientsPage() {
  const { t } = useTranslation('patients');
  const f = useFormatters();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const applied = useMemo(() => paramsFromUrl(search), [search]);
  const [q, setQ] = useState(applied.q ?? '');
  const [advanced, setAdvanced] = useState<Record<Advanced, string>>({
    mrn: applied.mrn ?? '',
    phone: applied.phone ?? '',
    birthDate: applied.birthDate ?? '',
    nationalId: applied.nationalId ?? '',
  });
  const [allClinics, setAllClinics] = useState(applied.allClinics ?? false);
  const [showAdvanced, setShowAdvanced] = useState(ADVANCED.some((k) => applied[k]) || !!applied.allClinics);
  const searchRef = useRef<HTMLInputElement>(null);
  // The API answers only a search, never "all patients": there is nothing to list before one.
  const filtered = ADVANCED.some((k) => applied[k]) || !!applied.q;
  const results = usePatientSearch(applied, filtered);

  useHotkeys([['/', () => searchRef.current?.focus()]]);

  // Back/forward navigation changes the URL; the inputs follow it.
  useEffect(() => {
    setQ(applied.q ?? '');
  }, [applied.q]);

  const apply = (next: { q: string; advanced: Record<Advanced, string>; allClinics: boolean }) => {
    const params = new URLSearchParams();
    if (next.q.trim()) params.set('q', next.q.trim());
    for (const key of ADVANCED) if (next.advanced[key].trim()) params.set(key, next.advanced[key].trim());
    if (next.allClinics) params.set('allClinics', 'true');
    setSearch(params, { replace: true });
  };
  const applyTyped = useDebouncedCallback((text: string) => apply({ q: text, advanced, allClinics }), 300);

  const columns = useMemo<ColumnDef<PatientSummary>[]>(
    () => [
      {
        id: 'name',
        header: t('patient.fields.name'),
        cell: ({ row }) => (
          <Anchor component={Link} to={`/patients/${row.original.id}`} fw={600} size="sm">
            {fullName(row.original)}
          </Anchor>
        ),
      },
      {
        id: 'mrn',
        header: t('patient.fields.mrn'),
        cell: ({ row }) => (
          <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
            {row.original.mrn}
          </Text>
        ),
        meta: { width: 150 },
      },
      { id: 'sex', header: t('patient.fields.sex'), cell: ({ row }) => t(`sex.${row.original.sex}`), meta: { width: 90 } },
      {
        id: 'birthDate',
        header: t('patient.fields.birthDate'),
        cell: ({ row }) => (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {f.date(row.original.birthDate)}{' '}
            <Text span size="xs" c="dimmed">
              ({f.age(row.original.birthDate)})
            </Text>
          </Text>
        ),
        meta: { width: 170 },
      },
      { id: 'phone', header: t('patient.fields.phone'), cell: ({ row }) => row.original.phones[0] ?? '—', meta: { width: 150 } },
      {
        id: 'status',
        header: t('patient.fields.status'),
        cell: ({ row }) => <PatientStatusBadge status={row.original.status} />,
        meta: { width: 110 },
      },
    ],
    [t, f],
  );

  const empty = !filtered ? (
    <EmptyState
      icon={<IconSearch />}
      title={t('patients.empty.startTitle')}
      description={can('patients:write') ? t('patients.empty.start') : t('patients.empty.startReadOnly')}
      action={
        can('patients:write') && (
          <Button component={Link} to="/patients/new" leftSection={<IconUserPlus size={16} aria-hidden />} variant="light">
            {t('patients.register')}
          </Button>
        )
      }
    />
  ) : (
    <EmptyState
      icon={<IconUserSearch />}
      title={t('patients.empty.noMatchTitle')}
      description={t('patients.empty.noMatch')}
      action={
        can('patients:write') && (
          <Button
            component={Link}
            to={applied.q ? `/patients/new?name=${encodeURIComponent(applied.q)}` : '/patients/new'}
            leftSection={<IconUserPlus size={16} aria-hidden />}
            variant="light"
          >
            {t('patients.register')}
          </Button>
        )
      }
    />
  );

  return (
    <>
      <PageHeader
        title={t('patients.title')}
        description={t('patients.subtitle')}
        actions={
          can('patients:write') && (
            <Button component={Link} to="/patients/new" leftSection={<IconUserPlus size={16} aria-hidden />}>
              {t('patients.register')}
            </Button>
          )
        }
      />
      <Paper p="sm" mb="md" component="section" aria-label={t('patients.searchSection')}>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            applyTyped.cancel();
            apply({ q, advanced, allClinics });
          }}
        >
          <Stack gap="sm">
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                ref={searchRef}
                style={{ flex: 1 }}
                label={t('patients.searchLabel')}
                placeholder={t('patients.searchPlaceholder')}
                leftSection={<IconSearch size={16} aria-hidden />}
                rightSection={
                  <Kbd size="xs" visibleFrom="sm">
                    /
                  </Kbd>
                }
                rightSectionPointerEvents="none"
                value={q}
                autoFocus
                type="search"
                onChange={(e) => {
                  setQ(e.currentTarget.value);
                  applyTyped(e.currentTarget.value);
                }}
              />
              <Button type="submit" visibleFrom="sm">
                {t('common.search')}
              </Button>
              <Button
                variant="default"
                visibleFrom="sm"
                leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
                onClick={() => setShowAdvanced((s) => !s)}
                aria-expanded={showAdvanced}
                aria-controls="patient-advanced-filters"
              >
                {t('patients.advanced')}
              </Button>
              <ActionIcon
                variant="default"
                size={36}
                hiddenFrom="sm"
                onClick={() => setShowAdvanced((s) => !s)}
                aria-expanded={showAdvanced}
                aria-controls="patient-advanced-filters"
                aria-label={t('patients.advanced')}
              >
                <IconAdjustmentsHorizontal size={18} aria-hidden />
              </ActionIcon>
            </Group>
            <Collapse in={showAdvanced} id="patient-advanced-filters">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
                <TextInput
                  label={t('patient.fields.mrn')}
                  value={advanced.mrn}
                  onChange={(e) => setAdvanced({ ...advanced, mrn: e.currentTarget.value })}
                />
                <TextInput
                  label={t('patient.fields.phone')}
                  type="tel"
                  value={advanced.phone}
                  onChange={(e) => setAdvanced({ ...advanced, phone: e.currentTarget.value })}
                />
                <TextInput
                  label={t('patient.fields.birthDate')}
                  type="date"
                  value={advanced.birthDate}
                  onChange={(e) => setAdvanced({ ...advanced, birthDate: e.currentTarget.value })}
                />
                <TextInput
                  label={t('patient.fields.nationalId')}
                  value={advanced.nationalId}
                  onChange={(e) => setAdvanced({ ...advanced, nationalId: e.currentTarget.value })}
                />
              </SimpleGrid>
              <Group justify="space-between" mt="sm">
                {can('patients:read_all_clinics') ? (
                  <Checkbox
                    label={t('patients.allClinics')}
                    checked={allClinics}
                    onChange={(e) => setAllClinics(e.currentTarget.checked)}
                  />
                ) : (
                  <span />
                )}
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={() => {
                    const cleared = { mrn: '', phone: '', birthDate: '', nationalId: '' };
                    setQ('');
                    setAdvanced(cleared);
                    setAllClinics(false);
                    apply({ q: '', advanced: cleared, allClinics: false });
                  }}
                >
                  {t('common.clearFilters')}
                </Button>
              </Group>
            </Collapse>
          </Stack>
        </form>
      </Paper>

      {results.error ? (
        <QueryError error={results.error} onRetry={results.refetch} />
      ) : (
        <DataTable
          caption={t('patients.tableCaption')}
          columns={columns}
          data={results.rows}
          getRowId={(p) => p.id}
          loading={results.isLoading}
          empty={empty}
          onRowClick={(p) => void navigate(`/patients/${p.id}`)}
          hasMore={results.hasMore}
          loadingMore={results.loadingMore}
          onLoadMore={results.loadMore}
          testId="patient-results"
        />
      )}
    </>
  );
}
