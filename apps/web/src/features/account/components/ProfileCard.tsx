import { Badge, Paper, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { useMe } from '../../../lib/auth/AuthProvider.tsx';
import { roleLabel } from '../../../lib/labels.ts';

export function ProfileCard() {
  const { t } = useTranslation('account');
  const me = useMe();
  const clinicName = (id: string) => me.clinics.find((c) => c.id === id)?.name ?? id;
  return (
    <Paper p="md">
      <Title order={2} mb="sm">
        {t('account.profile.title')}
      </Title>
      <InfoList cols={2}>
        <InfoItem label={t('account.profile.displayName')}>{me.displayName}</InfoItem>
        <InfoItem label={t('auth.email')}>{me.email}</InfoItem>
      </InfoList>
      {me.memberships.length > 0 && (
        <Table mt="md" withTableBorder>
          <caption
            style={{
              captionSide: 'top',
              textAlign: 'left',
              fontSize: 'var(--mantine-font-size-sm)',
              fontWeight: 500,
              paddingBottom: 6,
            }}
          >
            {t('account.profile.memberships')}
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('common.clinic')}</Table.Th>
              <Table.Th scope="col">{t('common.role')}</Table.Th>
              <Table.Th scope="col">{t('account.profile.twoFactorPolicy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {me.memberships.map((m) => (
              <Table.Tr key={`${m.clinicId}-${m.role}`}>
                <Table.Td>{clinicName(m.clinicId)}</Table.Td>
                <Table.Td>{roleLabel(t, m.role)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.requireMfa ? 'brand' : 'gray'}>
                    {m.requireMfa ? t('common.required') : t('common.optional')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
