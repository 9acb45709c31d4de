import { useState } from 'react';
import { Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconStethoscope } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { downloadVisitSummary, useMyVisits, type PortalVisit } from '../api/chart.ts';

/** The portal's "My visits": each signed visit's summary written for me, with its diagnoses and its PDF. */
export function MyVisitsPage() {
  const { t } = useTranslation('portal');
  const visits = useMyVisits();
  return (
    <>
      <PageHeader title={t('myChart.visits.title')} description={t('myChart.visits.subtitle')} />
      {visits.error ? (
        <QueryError error={visits.error} onRetry={visits.refetch} />
      ) : visits.isLoading ? (
        <Stack aria-busy>
          <Skeleton h={140} radius="md" />
          <Skeleton h={140} radius="md" />
        </Stack>
      ) : visits.rows.length === 0 ? (
        <EmptyState
          icon={<IconStethoscope size={22} />}
          title={t('myChart.visits.emptyTitle')}
          description={t('myChart.visits.empty')}
        />
      ) : (
        <Stack gap="sm" data-testid="portal-visits">
          {visits.rows.map((v) => (
            <VisitCard key={v.encounterId} visit={v} />
          ))}
          {visits.hasMore && (
            <Button variant="default" onClick={visits.loadMore} loading={visits.loadingMore} style={{ alignSelf: 'center' }}>
              {t('myChart.visits.more')}
            </Button>
          )}
        </Stack>
      )}
    </>
  );
}

function VisitCard({ visit }: { visit: PortalVisit }) {
  const { t } = useTranslation('portal');
  const f = useFormatters();
  const api = useApi();
  const [downloading, setDownloading] = useState(false);
  const day = f.date(visit.startedAt);
  const titleId = `visit-${visit.encounterId}`;

  const download = async () => {
    setDownloading(true);
    try {
      await downloadVisitSummary(api, visit, t('myChart.visits.fileName', { date: f.isoDay(visit.startedAt) }));
    } catch {
      notifications.show({ color: 'red', message: t('myChart.visits.downloadFailed') });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Paper component="article" withBorder p="sm" radius="md" aria-labelledby={titleId} data-testid="portal-visit">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={2} size="h4" id={titleId}>
              {t('myChart.visits.caption', { date: day })}
              {visit.type !== 'outpatient' && (
                <Text span c="dimmed" fw={400} size="sm">
                  {' · '}
                  {t(`myChart.visits.types.${visit.type}`)}
                </Text>
              )}
            </Title>
            <Text size="sm" c="dimmed">
              {t('myChart.visits.at', { clinic: visit.clinic.name, name: visit.signedBy })}
            </Text>
          </div>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconDownload size={14} aria-hidden />}
            onClick={() => void download()}
            loading={downloading}
            aria-label={`${t('myChart.visits.download')} — ${day}`}
          >
            {t('myChart.visits.download')}
          </Button>
        </Group>
        {visit.diagnoses.length > 0 && (
          <div>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase">
              {t('myChart.visits.diagnoses')}
            </Text>
            <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
              {visit.diagnoses.map((d) => (
                <Text component="li" size="sm" key={d.code}>
                  {d.description}{' '}
                  <Text span ff="monospace" size="xs" c="dimmed">
                    {d.code}
                  </Text>
                  {d.rank === 'primary' && visit.diagnoses.length > 1 && (
                    <Badge ml={6} size="xs" variant="outline" color="dark">
                      {t('myChart.visits.primary')}
                    </Badge>
                  )}
                </Text>
              ))}
            </Stack>
          </div>
        )}
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {t('myChart.visits.summary')}
          </Text>
          {visit.patientSummary ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="visit-summary">
              {visit.patientSummary}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {t('myChart.visits.noSummary')}
            </Text>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
