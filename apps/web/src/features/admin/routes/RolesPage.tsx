import { useMemo, useState } from 'react';
import { Badge, Button, Checkbox, Paper, ScrollArea, Skeleton, Stack, Switch, Table, Text } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { PERMISSIONS, ROLES } from '../../../lib/auth/permissions.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { permissionDescription, permissionLabel, roleLabel } from '../../../lib/labels.ts';
import { useRoles, useSaveRole, type RoleDefinition } from '../api/roles.ts';

interface Draft {
  permissions: Set<string>;
  requireMfa: boolean;
}

const roleOrder = (id: string) => {
  const index = (ROLES as readonly string[]).indexOf(id);
  return index === -1 ? ROLES.length : index;
};

function sameDraft(role: RoleDefinition, draft: Draft): boolean {
  return (
    role.requireMfa === draft.requireMfa &&
    role.permissions.length === draft.permissions.size &&
    role.permissions.every((p) => draft.permissions.has(p))
  );
}

export function RolesPage() {
  const { t } = useTranslation('admin');
  const query = useRoles();
  const save = useSaveRole();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});

  const roles = useMemo(() => [...(query.data?.roles ?? [])].sort((a, b) => roleOrder(a.id) - roleOrder(b.id)), [query.data]);
  const permissions = useMemo(() => {
    const rank = (p: string) => {
      const i = (PERMISSIONS as readonly string[]).indexOf(p);
      return i === -1 ? PERMISSIONS.length : i;
    };
    return [...(query.data?.permissions ?? [])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }, [query.data]);

  const draftOf = (role: RoleDefinition): Draft =>
    drafts[role.id] ?? { permissions: new Set(role.permissions), requireMfa: role.requireMfa };
  const edit = (role: RoleDefinition, change: (d: Draft) => Draft) =>
    setDrafts((all) => ({ ...all, [role.id]: change(draftOf(role)) }));

  const saveRole = (role: RoleDefinition) => {
    const draft = draftOf(role);
    save.mutate(
      { id: role.id, permissions: [...draft.permissions].sort(), requireMfa: draft.requireMfa },
      {
        onSuccess: () => {
          setDrafts(({ [role.id]: _saved, ...rest }) => rest);
          notifySuccess(t('admin.roles.saved', { role: roleLabel(t, role.id) }));
        },
        onError: (err) => notifyError(err, t),
      },
    );
  };

  return (
    <>
      <PageHeader title={t('admin.roles.title')} description={t('admin.roles.subtitle')} />
      {query.isPending ? (
        <Skeleton h={420} radius="md" />
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Paper p={0}>
          <ScrollArea type="auto" offsetScrollbars="x">
            <Table
              withColumnBorders
              stickyHeader
              miw={260 + roles.length * 104}
              verticalSpacing={6}
              style={{ tableLayout: 'fixed' }}
            >
              <caption style={{ captionSide: 'bottom', padding: 8 }}>
                <Text size="xs" c="dimmed" ta="left">
                  {t('admin.roles.caption')}
                </Text>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th
                    scope="col"
                    w={260}
                    style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 2 }}
                  >
                    {t('admin.roles.permission')}
                  </Table.Th>
                  {roles.map((role) => {
                    const dirty = !sameDraft(role, draftOf(role));
                    return (
                      <Table.Th key={role.id} scope="col" w={104} ta="center" style={{ verticalAlign: 'bottom' }}>
                        <Stack gap={2} align="center">
                          <Text size="xs" fw={700} style={{ lineHeight: 1.2 }}>
                            {roleLabel(t, role.id)}
                          </Text>
                          {!role.isStaff && (
                            <Badge size="xs" variant="light" color="gray">
                              {t('admin.roles.portal')}
                            </Badge>
                          )}
                          {dirty && (
                            <Badge size="xs" variant="light" color="orange">
                              {t('admin.roles.unsaved')}
                            </Badge>
                          )}
                        </Stack>
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr bg="gray.0">
                  <Table.Th
                    scope="row"
                    style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-gray-0)', zIndex: 1 }}
                  >
                    <Text size="sm" fw={600}>
                      {t('admin.roles.requireMfa')}
                    </Text>
                    <Text size="xs" c="dimmed" fw={400}>
                      {t('admin.roles.requireMfaHelp')}
                    </Text>
                  </Table.Th>
                  {roles.map((role) => (
                    <Table.Td key={role.id} ta="center">
                      <Switch
                        size="sm"
                        styles={{ body: { justifyContent: 'center' } }}
                        checked={draftOf(role).requireMfa}
                        aria-label={t('admin.roles.requireMfaFor', { role: roleLabel(t, role.id) })}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          edit(role, (d) => ({ ...d, requireMfa: checked }));
                        }}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
                {permissions.map((permission) => (
                  <Table.Tr key={permission}>
                    <Table.Th
                      scope="row"
                      style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}
                    >
                      <Text size="sm" fw={600}>
                        {permissionLabel(t, permission)}
                      </Text>
                      <Text size="xs" c="dimmed" fw={400}>
                        {permissionDescription(t, permission)}
                      </Text>
                      <Text size="xs" ff="monospace" c="dimmed" fw={400}>
                        {permission}
                      </Text>
                    </Table.Th>
                    {roles.map((role) => (
                      <Table.Td key={role.id} ta="center">
                        <Checkbox
                          size="sm"
                          styles={{ body: { justifyContent: 'center' } }}
                          checked={draftOf(role).permissions.has(permission)}
                          aria-label={t('admin.roles.grant', {
                            role: roleLabel(t, role.id),
                            permission: permissionLabel(t, permission),
                          })}
                          onChange={(e) => {
                            const checked = e.currentTarget.checked;
                            edit(role, (d) => {
                              const next = new Set(d.permissions);
                              if (checked) next.add(permission);
                              else next.delete(permission);
                              return { ...d, permissions: next };
                            });
                          }}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Th
                    scope="row"
                    style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 1 }}
                  >
                    <Text size="sm" fw={400} c="dimmed">
                      {t('admin.roles.saveHelp')}
                    </Text>
                  </Table.Th>
                  {roles.map((role) => {
                    const dirty = !sameDraft(role, draftOf(role));
                    return (
                      <Table.Td key={role.id} ta="center">
                        <Button
                          size="compact-xs"
                          variant={dirty ? 'filled' : 'default'}
                          disabled={!dirty}
                          loading={save.isPending && save.variables?.id === role.id}
                          leftSection={<IconDeviceFloppy size={12} aria-hidden />}
                          aria-label={t('admin.roles.saveRole', { role: roleLabel(t, role.id) })}
                          onClick={() => saveRole(role)}
                        >
                          {t('common.save')}
                        </Button>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      )}
    </>
  );
}
