import { Box, Center, Container, Group, Paper, Text } from '@mantine/core';
import { Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { Logo } from '../../components/Logo.tsx';

/** Sign-in, registration and e-mailed-link pages: one narrow card, the language always reachable. */
export function PublicLayout({ wide = false }: { wide?: boolean }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" style={{ display: 'flex', flexDirection: 'column' }}>
      <Box component="header" px="lg" py="sm">
        <Group justify="space-between">
          <Logo />
          <LanguageSwitcher />
        </Group>
      </Box>
      <Center component="main" id="main" style={{ flex: 1 }} px="md" py="lg">
        <Container size={wide ? 560 : 420} w="100%" p={0}>
          <Paper p="xl" shadow="sm">
            <Outlet />
          </Paper>
        </Container>
      </Center>
      <Box component="footer" py="md">
        <Text ta="center" size="xs" c="dimmed">
          {t('public.footer')}
        </Text>
      </Box>
    </Box>
  );
}
