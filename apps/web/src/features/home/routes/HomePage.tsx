import { createElement, useState } from 'react';
import { Button, Card, Group, Kbd, Paper, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import {
  IconClipboardList,
  IconSearch,
  IconShieldLock,
  IconUserCircle,
  IconUserPlus,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import dayjs from 'dayjs';
import { Link, Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { homeParts } from '../../../app/parts.ts';
import { greetingName } from '../lib/greeting.ts';
import { useAuth, useMe } from '../../../lib/auth/AuthProvider.tsx';
import { isPortalOnly, type Permission } from '../../../lib/auth/permissions.ts';
import { useFormatters } from '../../../lib/dates.ts';

interface Shortcut {
  to: string;
  icon: Icon;
  titleKey: string;
  descriptionKey: string;
  permission?: Permission;
}

const SHORTCUTS: Shortcut[] = [
  {
    to: '/patients',
    icon: IconUsers,
    titleKey: 'home.cards.patients',
    descriptionKey: 'home.cards.patientsText',
    permission: 'patients:read',
  },
  {
    to: '/patients/new',
    icon: IconUserPlus,
    titleKey: 'home.cards.register',
    descriptionKey: 'home.cards.registerText',
    permission: 'patients:write',
  },
  {
    to: '/admin/users',
    icon: IconUsersGroup,
    titleKey: 'home.cards.users',
    descriptionKey: 'home.cards.usersText',
    permission: 'users:read',
  },
  {
    to: '/admin/roles',
    icon: IconShieldLock,
    titleKey: 'home.cards.roles',
    descriptionKey: 'home.cards.rolesText',
    permission: 'roles:write',
  },
  {
    to: '/admin/audit',
    icon: IconClipboardList,
    titleKey: 'home.cards.audit',
    descriptionKey: 'home.cards.auditText',
    permission: 'audit:read',
  },
  { to: '/account', icon: IconUserCircle, titleKey: 'home.cards.account', descriptionKey: 'home.cards.accountText' },
];

function greetingKey(hour: number): string {
  if (hour < 12) return 'home.greeting.morning';
  if (hour < 18) return 'home.greeting.afternoon';
  return 'home.greeting.evening';
}

export function HomePage() {
  const { t } = useTranslation('home');
  const me = useMe();
  const { can, activeClinic } = useAuth();
  const f = useFormatters();
  const navigate = useNavigate();
  const [q, setQ] = useState('');

  if (isPortalOnly(me)) return <Navigate to="/portal" replace />;

  const now = dayjs().tz(f.timezone);
  const name = greetingName(me.displayName);
  const shortcuts = SHORTCUTS.filter((s) => !s.permission || can(s.permission));

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t(greetingKey(now.hour()), { name })}</Title>
        <Text c="dimmed" size="sm">
          {activeClinic ? t('home.today', { date: now.format('dddd LL'), clinic: activeClinic.name }) : now.format('dddd LL')}
        </Text>
      </div>

      {can('patients:read') && (
        <Paper p="md">
          <form
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              void navigate(q.trim() ? `/patients?q=${encodeURIComponent(q.trim())}` : '/patients');
            }}
          >
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('home.findPatient')}
                description={t('home.findPatientHelp')}
                placeholder={t('patients:patients.searchPlaceholder')}
                leftSection={<IconSearch size={16} aria-hidden />}
                value={q}
                onChange={(e) => setQ(e.currentTarget.value)}
                autoFocus
              />
              <Button type="submit">{t('common.search')}</Button>
            </Group>
          </form>
          <Text size="xs" c="dimmed" mt="xs">
            {t('home.shortcutHint')} <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">K</Kbd>
          </Text>
        </Paper>
      )}

      {homeParts(can).map((part) => createElement(part.component, { key: part.key }))}

      <section aria-labelledby="home-shortcuts">
        <Title order={2} id="home-shortcuts" mb="sm">
          {t('home.shortcuts')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {shortcuts.map((s) => (
            <Card key={s.to} component={Link} to={s.to} withBorder padding="md" radius="md" className="home-card">
              <Group wrap="nowrap" align="flex-start">
                <ThemeIcon variant="light" size={38} radius="md" aria-hidden>
                  <s.icon size={20} />
                </ThemeIcon>
                <div>
                  <Text fw={600}>{t(s.titleKey)}</Text>
                  <Text size="sm" c="dimmed">
                    {t(s.descriptionKey)}
                  </Text>
                </div>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
