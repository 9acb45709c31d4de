import { useState, type ReactNode } from 'react';
import { Button, Group, MultiSelect, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClinics } from '../../../lib/api/clinics.ts';
import { ApiError, isApiError } from '../../../lib/api/errors.ts';
import { useAuth, useMe } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notify, notifySuccess } from '../../../lib/errors.ts';
import { useUsers, type AdminUser } from '../../admin/index.ts';
import { localName, useSpecialties } from '../api/masterdata.ts';
import {
  useCreatePractitioner,
  useUpdatePractitioner,
  type Practitioner,
  type PractitionerUpdate,
} from '../api/practitioners.ts';

interface Values {
  displayName: string;
  userId: string | null;
  licenceNumber: string;
  specialtyIds: string[];
  clinicIds: string[];
  requiresConfirmation: boolean;
  active: boolean;
}

/** `clinicIds.1` or `/specialtyIds/0` → the list field itself, where the form shows the message. */
function listFieldRenames(err: unknown): Record<string, string> {
  const rename: Record<string, string> = {};
  if (!(err instanceof ApiError)) return rename;
  for (const { field } of err.fieldIssues) {
    const match = /^\/?(specialtyIds|clinicIds)(?:[./]\d+)?$/.exec(field);
    if (match?.[1]) rename[field] = match[1];
    else if (field.startsWith('/')) rename[field] = field.slice(1);
  }
  return rename;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Only what changed: clinics the editor does not belong to may then stay on the practitioner untouched. */
function changes(initial: Values, v: Values): PractitionerUpdate {
  const out: PractitionerUpdate = {};
  const displayName = v.displayName.trim();
  const licenceNumber = v.licenceNumber.trim() || null;
  if (displayName !== initial.displayName) out.displayName = displayName;
  if (licenceNumber !== (initial.licenceNumber.trim() || null)) out.licenceNumber = licenceNumber;
  if (!sameSet(v.specialtyIds, initial.specialtyIds)) out.specialtyIds = v.specialtyIds;
  if (!sameSet(v.clinicIds, initial.clinicIds)) out.clinicIds = v.clinicIds;
  if (v.requiresConfirmation !== initial.requiresConfirmation) out.requiresConfirmation = v.requiresConfirmation;
  if (v.active !== initial.active) out.active = v.active;
  return out;
}

function validate(t: TFunction) {
  return {
    displayName: (v: string) => (v.trim() ? null : t('validation.required')),
    clinicIds: (v: string[]) => (v.length ? null : t('practitioners.admin.clinicRequired')),
  };
}

/**
 * Administrators (settings:write) add a practitioner, or change who they are, where they work,
 * their specialties and whether they take or confirm bookings. Without `practitioner`: a new one.
 */
export function PractitionerAdminForm({ practitioner, onClose }: { practitioner?: Practitioner; onClose: () => void }) {
  const { t, i18n } = useTranslation('scheduling');
  const language = i18n.resolvedLanguage ?? 'en';
  const navigate = useNavigate();
  const me = useMe();
  const { can, activeClinic } = useAuth();
  const clinics = useClinics();
  const specialties = useSpecialties();
  const create = useCreatePractitioner();
  const update = useUpdatePractitioner(practitioner?.id ?? '');
  const initial: Values = {
    displayName: practitioner?.displayName ?? '',
    userId: practitioner?.userId ?? null,
    licenceNumber: practitioner?.licenceNumber ?? '',
    specialtyIds: practitioner?.specialties.map((s) => s.id) ?? [],
    clinicIds: practitioner?.clinicIds ?? (activeClinic ? [activeClinic.id] : []),
    requiresConfirmation: practitioner?.requiresConfirmation ?? false,
    active: practitioner?.active ?? true,
  };
  const form = useForm<Values>({ initialValues: initial, validate: validate(t) });
  const mine = new Set(me.clinics.map((c) => c.id));
  const clinicOptions = (clinics.data?.data ?? me.clinics)
    .filter((c) => mine.has(c.id) || initial.clinicIds.includes(c.id))
    .map((c) => ({ value: c.id, label: c.name, disabled: !mine.has(c.id) }));
  const specialtyOptions = (specialties.data ?? [])
    .filter((s) => s.active || initial.specialtyIds.includes(s.id))
    .map((s) => ({ value: s.id, label: localName(s, language) }));
  const pending = create.isPending || update.isPending;

  const submit = (v: Values) => {
    const onError = (err: unknown) => {
      if (isApiError(err, 'USER_TAKEN')) form.setFieldError('userId', t('practitioners.admin.userTaken'));
      else handleFormError(form, err, t, listFieldRenames(err));
    };
    if (practitioner) {
      const body = changes(initial, v);
      if (Object.keys(body).length === 0) {
        notify({ color: 'gray', message: t('practitioners.admin.noChanges') });
        onClose();
        return;
      }
      update.mutate(body, {
        onSuccess: (saved) => {
          notifySuccess(t('practitioners.admin.saved', { name: saved.displayName }));
          onClose();
        },
        onError,
      });
      return;
    }
    create.mutate(
      {
        displayName: v.displayName.trim(),
        userId: v.userId,
        licenceNumber: v.licenceNumber.trim() || null,
        specialtyIds: v.specialtyIds,
        clinicIds: v.clinicIds,
        requiresConfirmation: v.requiresConfirmation,
      },
      {
        onSuccess: (created) => {
          notifySuccess(t('practitioners.admin.created', { name: created.displayName }));
          onClose();
          void navigate(`/practitioners/${created.id}`);
        },
        onError,
      },
    );
  };

  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack gap="sm">
        {!practitioner && can('users:read') && (
          <StaffUserSelect
            value={form.values.userId}
            error={form.errors.userId}
            onChange={(user) => {
              form.setFieldValue('userId', user?.id ?? null);
              form.clearFieldError('userId');
              if (user && !form.values.displayName.trim()) form.setFieldValue('displayName', user.displayName);
            }}
          />
        )}
        <TextInput
          label={t('practitioners.admin.displayName')}
          withAsterisk
          maxLength={200}
          {...form.getInputProps('displayName')}
        />
        <TextInput label={t('practitioners.licence')} maxLength={60} {...form.getInputProps('licenceNumber')} />
        <MultiSelect
          label={t('practitioners.specialties')}
          data={specialtyOptions}
          searchable
          clearable
          maxValues={10}
          nothingFoundMessage={t('practitioners.admin.noSpecialty')}
          {...form.getInputProps('specialtyIds')}
        />
        <MultiSelect
          label={t('practitioners.clinics')}
          description={t('practitioners.admin.clinicsHelp')}
          data={clinicOptions}
          withAsterisk
          {...form.getInputProps('clinicIds')}
        />
        <Switch
          label={t('practitioners.needsConfirmation')}
          description={t('practitioners.admin.confirmationHelp')}
          {...form.getInputProps('requiresConfirmation', { type: 'checkbox' })}
        />
        {practitioner && (
          <Switch
            label={t('practitioners.admin.active')}
            description={t('practitioners.admin.activeHelp')}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {practitioner ? t('common.save') : t('practitioners.admin.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const userLabel = (u: AdminUser) => `${u.displayName} · ${u.email}`;

/** Optional link to a staff account, searched on the server (users:read). */
function StaffUserSelect({
  value,
  error,
  onChange,
}: {
  value: string | null;
  error: ReactNode;
  onChange: (user: AdminUser | null) => void;
}) {
  const { t } = useTranslation('scheduling');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<AdminUser | null>(null);
  // Once an account is picked the box shows its label: do not search for that text.
  const [debounced] = useDebouncedValue(selected && search === userLabel(selected) ? '' : search.trim(), 250);
  const users = useUsers(debounced);
  const rows = users.rows.filter((u) => u.active);
  const options = [...(selected && !rows.some((u) => u.id === selected.id) ? [selected] : []), ...rows];
  return (
    <Select
      label={t('practitioners.admin.user')}
      description={t('practitioners.admin.userHelp')}
      placeholder={t('practitioners.admin.userPlaceholder')}
      data={options.map((u) => ({ value: u.id, label: userLabel(u) }))}
      value={value}
      onChange={(id) => {
        const user = options.find((u) => u.id === id) ?? null;
        setSelected(user);
        onChange(user);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      clearable
      nothingFoundMessage={users.isLoading ? t('common.loading') : t('practitioners.admin.noUser')}
      error={error}
    />
  );
}
