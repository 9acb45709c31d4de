import { AppShell, Burger, Button, Group, Kbd, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery, useOs } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { createElement, useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PatientSpotlight } from '../../features/patients/index.ts';
import { headerParts } from '../parts.ts';
import { useAuth, useMe } from '../../lib/auth/AuthProvider.tsx';
import { ConnectionIndicator } from '../../lib/realtime/ConnectionIndicator.tsx';
import { RealtimeProvider } from '../../lib/realtime/RealtimeProvider.tsx';
import { Logo } from '../../components/Logo.tsx';
import { ClinicSwitcher } from './ClinicSwitcher.tsx';
import { UserMenu } from './UserMenu.tsx';
import { activeItem, navigationFor } from './navigation.ts';
import classes from './header.module.css';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const os = useOs();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const sections = navigationFor(me);
  const active = activeItem(sections, location.pathname);
  const canSearch = can('patients:read');
  // Rendered once, in the header or in the drawer: two copies would be two controls with one name.
  const wide = useMediaQuery('(min-width: 48em)', true);

  // A tap on a link in the mobile drawer should reveal the page it opened.
  useEffect(close, [location.pathname, close]);

  return (
    <RealtimeProvider>
      <AppShell header={{ height: 52 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <a className="skip-link" href="#main">
          {t('shell.skipToContent')}
        </a>
        <AppShell.Header>
          <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t(opened ? 'shell.closeNavigation' : 'shell.openNavigation')}
              />
              <UnstyledButton component={Link} to="/" aria-label={t('shell.homeLink')} className={classes.brand}>
                <Logo />
              </UnstyledButton>
            </Group>
            {canSearch && (
              <Button
                variant="default"
                size="xs"
                onClick={spotlight.open}
                aria-label={t('search.button')}
                leftSection={<IconSearch size={14} aria-hidden />}
                rightSection={
                  <Kbd size="xs" visibleFrom="md">
                    {os === 'macos' ? '⌘ K' : 'Ctrl K'}
                  </Kbd>
                }
                w={{ base: 'auto', md: 320 }}
                justify="space-between"
                styles={{ label: { fontWeight: 400, color: 'var(--mantine-color-gray-7)' } }}
              >
                <Text span size="sm" visibleFrom="xs">
                  {t('search.button')}
                </Text>
              </Button>
            )}
            <Group gap="xs" wrap="nowrap" className={classes.compact} data-testid="header-controls">
              {headerParts(can).map((part) => createElement(part.component, { key: part.key }))}
              <ConnectionIndicator />
              {wide && <ClinicSwitcher />}
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="xs" aria-label={t('shell.mainNavigation')}>
          {!wide && (
            <AppShell.Section mb="sm">
              <ClinicSwitcher />
            </AppShell.Section>
          )}
          <AppShell.Section grow component={ScrollArea}>
            <Stack gap="md">
              {sections.map((section) => (
                <div key={section.titleKey} role="group" aria-labelledby={`nav-${section.titleKey.replace(/\./g, '-')}`}>
                  <Text
                    id={`nav-${section.titleKey.replace(/\./g, '-')}`}
                    size="xs"
                    fw={700}
                    c="dimmed"
                    tt="uppercase"
                    px="sm"
                    mb={4}
                    style={{ letterSpacing: 0.4 }}
                  >
                    {t(section.titleKey)}
                  </Text>
                  {section.items.map((item) => (
                    <NavLink
                      key={item.to}
                      component={Link}
                      to={item.to}
                      label={t(item.labelKey)}
                      leftSection={<item.icon size={18} stroke={1.6} aria-hidden />}
                      active={active === item.to}
                      aria-current={active === item.to ? 'page' : undefined}
                      variant="light"
                      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                    />
                  ))}
                </div>
              ))}
            </Stack>
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <div style={{ maxWidth: 1320, margin: '0 auto' }}>
            <Outlet />
          </div>
        </AppShell.Main>
        {canSearch && <PatientSpotlight />}
      </AppShell>
    </RealtimeProvider>
  );
}
