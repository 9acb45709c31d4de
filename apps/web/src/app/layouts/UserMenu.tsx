import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../lib/auth/AuthProvider.tsx';
import { changeLanguage, LANGUAGES } from '../../lib/i18n/i18n.ts';
import { roleLabel } from '../../lib/labels.ts';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

export function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const role = me.roles[0];

  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton
          data-testid="user-menu"
          px={6}
          py={4}
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          // on a phone only the initials show: the button still says whose menu it is
          aria-label={me.displayName}
        >
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="brand" aria-hidden>
              {initials(me.displayName)}
            </Avatar>
            <Box style={{ lineHeight: 1.1 }} visibleFrom="sm">
              <Text size="sm" fw={600} truncate maw={160}>
                {me.displayName}
              </Text>
              {role && (
                <Text size="xs" c="dimmed">
                  {roleLabel(t, role)}
                </Text>
              )}
            </Box>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.email}</Menu.Label>
        <Menu.Item component={Link} to="/account" leftSection={<IconUserCircle size={16} aria-hidden />}>
          {t('nav.account')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>{t('common.language')}</Menu.Label>
        {LANGUAGES.map((l) => (
          <Menu.Item
            key={l.code}
            lang={l.code}
            onClick={() => void changeLanguage(l.code)}
            rightSection={l.code === i18n.resolvedLanguage ? <IconCheck size={14} aria-hidden /> : null}
            aria-current={l.code === i18n.resolvedLanguage ? 'true' : undefined}
          >
            {l.label}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void logout()}>
          {t('auth.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
