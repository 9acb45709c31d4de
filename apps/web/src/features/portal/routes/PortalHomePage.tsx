import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconActivity, IconEye, IconFiles, IconNotes, IconStethoscope } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { PatientDetails } from '../../../components/PatientDetails.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useMe } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useMyRecord } from '../api/portal.ts';

export function PortalHomePage() {
  const { t } = useTranslation('portal');
  const me = useMe();
  const f = useFormatters();
  const record = useMyRecord();

  return (
    <>
      <PageHeader title={t('portal.title')} description={t('portal.subtitle', { name: me.displayName })} />
      {record.isPending ? (
        <Stack aria-busy>
          <Skeleton h={80} radius="md" />
          <Skeleton h={240} radius="md" />
        </Stack>
      ) : record.isError ? (
        <QueryError error={record.error} onRetry={() => void record.refetch()} />
      ) : (
        <Stack gap="md">
          <Paper p="md">
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text size="xs" c="dimmed" fw={500}>
                  {t('portal.mrnLabel')}
                </Text>
                <Text ff="monospace" fw={700} size="lg" data-testid="portal-mrn">
                  {record.data.mrn}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('portal.mrnHelp')}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" fw={500}>
                  {t('patient.fields.primaryClinic')}
                </Text>
                <Text fw={600}>{me.clinics.find((c) => c.id === record.data.primaryClinicId)?.name ?? '—'}</Text>
                <Text size="xs" c="dimmed">
                  {t('portal.updatedAt', { date: f.dateTime(record.data.updatedAt) })}
                </Text>
              </div>
            </Group>
          </Paper>
          <Paper p="md" component="nav" aria-labelledby="portal-health-links">
            <Title order={2} size="h4" id="portal-health-links" mb="xs">
              {t('myChart.home.title')}
            </Title>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs">
              {(
                [
                  ['/portal/visits', 'visits', IconNotes],
                  ['/portal/health', 'health', IconStethoscope],
                  ['/portal/vitals', 'vitals', IconActivity],
                  ['/portal/documents', 'documents', IconFiles],
                ] as const
              ).map(([to, key, Icon]) => (
                // the link says what the page holds (the navigation names the pages themselves)
                <Group key={key} gap="xs" wrap="nowrap">
                  <ThemeIcon variant="light" size="md" aria-hidden>
                    <Icon size={16} />
                  </ThemeIcon>
                  <Anchor component={Link} to={to} fw={600} size="sm">
                    {t(`myChart.home.${key}`)}
                  </Anchor>
                </Group>
              ))}
            </SimpleGrid>
          </Paper>
          <PatientDetails patient={record.data} />
          <Paper p="md">
            <Group gap="xs">
              <IconEye size={18} aria-hidden />
              <Text size="sm">
                {t('portal.accessTeaser')}{' '}
                <Anchor component={Link} to="/portal/access">
                  {t('nav.whoAccessed')}
                </Anchor>
              </Text>
            </Group>
          </Paper>
          <Text size="xs" c="dimmed">
            {t('portal.correctionHelp')}
          </Text>
        </Stack>
      )}
    </>
  );
}
