import { ActionIcon, Button, Group, NativeSelect, Stack, Text, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ClinicView as PublicClinic } from '@sanita/contracts/clinics';
import { ROLES } from '../../../lib/auth/permissions.ts';
import { roleLabel } from '../../../lib/labels.ts';
import type { UserMembership } from '../api/users.ts';

// Patients get their portal access by self-registration, not by an invitation.
const STAFF_ROLES = ROLES.filter((r) => r !== 'patient');

interface MembershipsEditorProps {
  value: UserMembership[];
  onChange: (value: UserMembership[]) => void;
  clinics: PublicClinic[];
  error?: string | null;
  disabled?: boolean;
}

/** (clinic, role) pairs: a user can hold different roles in different clinics. */
export function MembershipsEditor({ value, onChange, clinics, error, disabled }: MembershipsEditorProps) {
  const { t } = useTranslation('admin');
  const set = (index: number, patch: Partial<UserMembership>) =>
    onChange(value.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  const roleOptions = (current: string) => {
    const roles: string[] =
      STAFF_ROLES.includes(current as (typeof STAFF_ROLES)[number]) || !current ? [...STAFF_ROLES] : [current, ...STAFF_ROLES];
    return [
      { value: '', label: t('admin.users.chooseRole'), disabled: true },
      ...roles.map((r) => ({ value: r, label: roleLabel(t, r) })),
    ];
  };
  const clinicOptions = [
    { value: '', label: t('admin.users.chooseClinic'), disabled: true },
    ...clinics.map((c) => ({ value: c.id, label: c.name })),
  ];

  return (
    <Stack gap="xs" role="group" aria-label={t('admin.users.memberships')}>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('admin.users.noMemberships')}
        </Text>
      )}
      {value.map((m, i) => (
        <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
          <NativeSelect
            style={{ flex: 1 }}
            label={t('admin.users.clinicN', { n: i + 1 })}
            data={clinicOptions}
            value={m.clinicId}
            disabled={disabled}
            onChange={(e) => set(i, { clinicId: e.currentTarget.value })}
          />
          <NativeSelect
            style={{ flex: 1 }}
            label={t('admin.users.roleN', { n: i + 1 })}
            data={roleOptions(m.role)}
            value={m.role}
            disabled={disabled}
            onChange={(e) => set(i, { role: e.currentTarget.value })}
          />
          {!disabled && (
            <Tooltip label={t('admin.users.removeMembership', { n: i + 1 })}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                mb={1}
                aria-label={t('admin.users.removeMembership', { n: i + 1 })}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      ))}
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
      {!disabled && (
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => onChange([...value, { clinicId: clinics.length === 1 ? (clinics[0]?.id ?? '') : '', role: '' }])}
          >
            {t('admin.users.addMembership')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function membershipsError(value: UserMembership[], t: (key: string) => string): string | null {
  if (value.length === 0) return t('admin.users.needMembership');
  if (value.some((m) => !m.clinicId || !m.role)) return t('admin.users.incompleteMembership');
  const seen = new Set(value.map((m) => `${m.clinicId}/${m.role}`));
  if (seen.size !== value.length) return t('admin.users.duplicateMembership');
  return null;
}
