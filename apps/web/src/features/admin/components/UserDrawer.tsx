import { useEffect, useState } from 'react';
import { Alert, Button, Divider, Drawer, Group, NativeSelect, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLockOpen, IconMailForward, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { handleFormError, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { LANGUAGES } from '../../../lib/i18n/i18n.ts';
import {
  useResendInvitation,
  useSetMemberships,
  useUnlockUser,
  useUpdateUser,
  useUser,
  type AdminUser,
  type UserMembership,
} from '../api/users.ts';
import { MembershipsEditor, membershipsError } from './MembershipsEditor.tsx';
import { isLocked, UserStatusBadges } from './UserStatusBadges.tsx';

function UserEditor({ user }: { user: AdminUser }) {
  const { t } = useTranslation('admin');
  const f = useFormatters();
  const { can, me } = useAuth();
  const writable = can('users:write');
  const clinics = useClinics();
  const update = useUpdateUser(user.id);
  const setMemberships = useSetMemberships(user.id);
  const unlock = useUnlockUser(user.id);
  const resend = useResendInvitation(user.id);
  const [memberships, setMembershipDraft] = useState<UserMembership[]>(user.memberships);
  const [membershipError, setMembershipError] = useState<string | null>(null);
  const profile = useForm({
    initialValues: { displayName: user.displayName, locale: user.locale },
    validate: { displayName: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const self = me?.id === user.id;
  const membershipsDirty = JSON.stringify(memberships) !== JSON.stringify(user.memberships);

  useEffect(() => setMembershipDraft(user.memberships), [user.memberships]);

  const saveProfile = profile.onSubmit((values) =>
    update.mutate(
      { displayName: values.displayName.trim(), locale: LANGUAGES.find((l) => l.code === values.locale)?.code },
      {
        onSuccess: () => {
          profile.resetDirty();
          notifySuccess(t('admin.users.saved'));
        },
        onError: (err) => handleFormError(profile, err, t),
      },
    ),
  );

  const saveMemberships = () => {
    const problem = membershipsError(memberships, t);
    setMembershipError(problem);
    if (problem) return;
    setMemberships.mutate(memberships, {
      onSuccess: () => notifySuccess(t('admin.users.membershipsSaved')),
      onError: (err) => notifyError(err, t),
    });
  };

  const toggleActive = () =>
    update.mutate(
      { active: !user.active },
      {
        onSuccess: (u) => notifySuccess(u.active ? t('admin.users.reactivated') : t('admin.users.deactivated')),
        onError: (err) => notifyError(err, t),
      },
    );

  return (
    <Stack gap="md">
      <UserStatusBadges user={user} />
      <InfoList cols={2}>
        <InfoItem label={t('auth.email')}>{user.email}</InfoItem>
        <InfoItem label={t('admin.users.created')}>{f.dateTime(user.createdAt)}</InfoItem>
        {isLocked(user) && <InfoItem label={t('admin.users.lockedUntil')}>{f.dateTime(user.lockedUntil)}</InfoItem>}
      </InfoList>

      {writable && (
        <Group gap="xs">
          {isLocked(user) && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconLockOpen size={14} aria-hidden />}
              loading={unlock.isPending}
              onClick={() =>
                unlock.mutate(undefined, {
                  onSuccess: () => notifySuccess(t('admin.users.unlocked')),
                  onError: (err) => notifyError(err, t),
                })
              }
            >
              {t('admin.users.unlock')}
            </Button>
          )}
          {user.invitationPending && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconMailForward size={14} aria-hidden />}
              loading={resend.isPending}
              onClick={() =>
                resend.mutate(undefined, {
                  onSuccess: () => notifySuccess(t('admin.users.invitationResent', { email: user.email })),
                  onError: (err) => notifyError(err, t),
                })
              }
            >
              {t('admin.users.resendInvitation')}
            </Button>
          )}
          {!self && (
            <Button
              size="xs"
              variant="default"
              color={user.active ? 'red' : undefined}
              leftSection={user.active ? <IconUserOff size={14} aria-hidden /> : <IconUserCheck size={14} aria-hidden />}
              loading={update.isPending && update.variables?.active !== undefined}
              onClick={toggleActive}
            >
              {user.active ? t('admin.users.deactivate') : t('admin.users.reactivate')}
            </Button>
          )}
        </Group>
      )}

      <Divider />
      <form onSubmit={saveProfile} noValidate>
        <Stack gap="sm">
          <Title order={3}>{t('admin.users.profile')}</Title>
          <TextInput label={t('admin.users.displayName')} disabled={!writable} {...profile.getInputProps('displayName')} />
          <NativeSelect
            label={t('common.language')}
            disabled={!writable}
            data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
            {...profile.getInputProps('locale')}
          />
          {writable && (
            <Group>
              <Button
                type="submit"
                size="xs"
                disabled={!profile.isDirty()}
                loading={update.isPending && update.variables?.active === undefined}
              >
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>

      <Divider />
      <Stack gap="sm">
        <Title order={3}>{t('admin.users.memberships')}</Title>
        <Text size="sm" c="dimmed">
          {t('admin.users.membershipsHelp')}
        </Text>
        <MembershipsEditor
          value={memberships}
          onChange={(v) => {
            setMembershipDraft(v);
            setMembershipError(null);
          }}
          clinics={clinics.data?.data ?? []}
          error={membershipError}
          disabled={!writable}
        />
        {writable && (
          <Group>
            <Button size="xs" onClick={saveMemberships} disabled={!membershipsDirty} loading={setMemberships.isPending}>
              {t('admin.users.saveMemberships')}
            </Button>
          </Group>
        )}
        {self && writable && (
          <Alert color="gray" p="xs">
            <Text size="xs">{t('admin.users.selfWarning')}</Text>
          </Alert>
        )}
      </Stack>
    </Stack>
  );
}

export function UserDrawer({ userId, onClose }: { userId: string | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const user = useUser(userId);
  return (
    <Drawer
      opened={!!userId}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Text fw={700}>{user.data?.displayName ?? t('admin.users.user')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {user.isPending ? (
        <Stack>
          <Skeleton h={24} />
          <Skeleton h={160} />
        </Stack>
      ) : user.isError ? (
        <QueryError error={user.error} onRetry={() => void user.refetch()} />
      ) : (
        <UserEditor key={user.data.id} user={user.data} />
      )}
    </Drawer>
  );
}
