import type { ReactNode } from 'react';
import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock, IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

function StatusPage({ icon, title, message }: { icon: ReactNode; title: string; message: string }) {
  const { t } = useTranslation();
  return (
    <Center py={64}>
      <Stack align="center" gap="sm" maw={480} ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" color="gray" aria-hidden>
          {icon}
        </ThemeIcon>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{message}</Text>
        <Button component={Link} to="/" variant="light">
          {t('common.goHome')}
        </Button>
      </Stack>
    </Center>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusPage icon={<IconLock size={28} />} title={t('status.forbiddenTitle')} message={t('status.forbiddenMessage')} />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage icon={<IconMapOff size={28} />} title={t('status.notFoundTitle')} message={t('status.notFoundMessage')} />;
}
