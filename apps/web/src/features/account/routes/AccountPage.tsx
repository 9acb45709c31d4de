import { SimpleGrid, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ChangePasswordCard } from '../components/ChangePasswordCard.tsx';
import { ProfileCard } from '../components/ProfileCard.tsx';
import { SessionsCard } from '../components/SessionsCard.tsx';
import { TwoFactorCard } from '../components/TwoFactorCard.tsx';

export function AccountPage() {
  const { t } = useTranslation('account');
  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.subtitle')} />
      <Stack gap="md">
        <ProfileCard />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <ChangePasswordCard />
          <TwoFactorCard />
        </SimpleGrid>
        <SessionsCard />
      </Stack>
    </>
  );
}
