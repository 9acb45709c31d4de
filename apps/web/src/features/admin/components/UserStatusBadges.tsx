import { Badge, Group } from '@mantine/core';
import { IconLock, IconMailForward, IconShieldCheck, IconUserOff } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AdminUser } from '../api/users.ts';

export function isLocked(user: AdminUser): boolean {
  return !!user.lockedUntil && dayjs(user.lockedUntil).isAfter(dayjs());
}

export function UserStatusBadges({ user }: { user: AdminUser }) {
  const { t } = useTranslation('admin');
  return (
    <Group gap={4} wrap="wrap">
      {user.active ? (
        <Badge variant="light" color="green">
          {t('admin.users.status.active')}
        </Badge>
      ) : (
        <Badge variant="light" color="gray" leftSection={<IconUserOff size={12} aria-hidden />}>
          {t('admin.users.status.inactive')}
        </Badge>
      )}
      {user.invitationPending && (
        <Badge variant="light" color="blue" leftSection={<IconMailForward size={12} aria-hidden />}>
          {t('admin.users.status.invited')}
        </Badge>
      )}
      {isLocked(user) && (
        <Badge variant="light" color="red" leftSection={<IconLock size={12} aria-hidden />}>
          {t('admin.users.status.locked')}
        </Badge>
      )}
      {user.mfaEnrolled && (
        <Badge variant="light" color="brand" leftSection={<IconShieldCheck size={12} aria-hidden />}>
          {t('admin.users.status.mfa')}
        </Badge>
      )}
    </Group>
  );
}
