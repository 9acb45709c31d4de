import { useMemo, useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsersGroup } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { roleLabel } from '../../../lib/labels.ts';
import { useUsers, type AdminUser } from '../api/users.ts';
import { InviteUserModal } from '../components/InviteUserModal.tsx';
import { UserDrawer } from '../components/UserDrawer.tsx';
import { UserStatusBadges } from '../components/UserStatusBadges.tsx';

export function UsersPage() {
  const { t } = useTranslation('admin');
  const f = useFormatters();
  const { can } = useAuth();
  const clinics = useClinics();
  const [search, setSearch] = useSearchParams();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const users = useUsers(debounced);
  const [inviteOpened, invite] = useDisclosure(false);
  const openUserId = search.get('user');
  const clinicCode = useMemo(() => new Map((clinics.data?.data ?? []).map((c) => [c.id, c.code])), [clinics.data]);

  const closeDrawer = () => {
    const next = new URLSearchParams(search);
    next.delete('user');
    setSearch(next, { replace: true });
  };

  const columns = useMemo<ColumnDef<AdminUser>[]>(() => {
    const userLink = (id: string) => {
      const next = new URLSearchParams(search);
      next.set('user', id);
      return `?${next.toString()}`;
    };
    return [
      {
        id: 'name',
        header: t('admin.users.name'),
        cell: ({ row }) => (
          <Anchor component={Link} to={userLink(row.original.id)} fw={600} size="sm">
            {row.original.displayName}
          </Anchor>
        ),
      },
      { id: 'email', header: t('auth.email'), cell: ({ row }) => row.original.email },
      {
        id: 'roles',
        header: t('admin.users.roles'),
        cell: ({ row }) => (
          <Group gap={4}>
            {row.original.memberships.map((m) => (
              <Badge key={`${m.clinicId}-${m.role}`} variant="outline" color="gray">
                {roleLabel(t, m.role)}
                {clinicCode.get(m.clinicId) ? ` · ${clinicCode.get(m.clinicId)}` : ''}
              </Badge>
            ))}
          </Group>
        ),
      },
      { id: 'status', header: t('admin.users.statusHeader'), cell: ({ row }) => <UserStatusBadges user={row.original} /> },
      {
        id: 'created',
        header: t('admin.users.created'),
        cell: ({ row }) => (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {f.date(row.original.createdAt)}
          </Text>
        ),
        meta: { width: 120 },
      },
    ];
  }, [t, f, clinicCode, search]);

  return (
    <>
      <PageHeader
        title={t('admin.users.title')}
        description={t('admin.users.subtitle')}
        actions={
          can('users:write') && (
            <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={invite.open}>
              {t('admin.users.invite')}
            </Button>
          )
        }
      />
      <Paper p="sm" mb="md">
        <TextInput
          label={t('admin.users.searchLabel')}
          placeholder={t('admin.users.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maw={420}
        />
      </Paper>
      {users.error ? (
        <QueryError error={users.error} onRetry={users.refetch} />
      ) : (
        <DataTable
          caption={t('admin.users.title')}
          columns={columns}
          data={users.rows}
          getRowId={(u) => u.id}
          loading={users.isLoading}
          hasMore={users.hasMore}
          loadingMore={users.loadingMore}
          onLoadMore={users.loadMore}
          onRowClick={(u) => setSearch((prev) => ({ ...Object.fromEntries(prev), user: u.id }))}
          empty={
            <EmptyState
              icon={<IconUsersGroup />}
              title={debounced ? t('admin.users.emptySearchTitle') : t('admin.users.emptyTitle')}
              description={debounced ? t('admin.users.emptySearch') : t('admin.users.empty')}
              action={
                can('users:write') && (
                  <Button variant="light" onClick={invite.open}>
                    {t('admin.users.invite')}
                  </Button>
                )
              }
            />
          }
        />
      )}
      <InviteUserModal opened={inviteOpened} onClose={invite.close} />
      <UserDrawer userId={openUserId} onClose={closeDrawer} />
    </>
  );
}
