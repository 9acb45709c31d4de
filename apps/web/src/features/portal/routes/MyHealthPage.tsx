import type { ReactNode } from 'react';
import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { substanceLabel } from '../../history/index.ts';
import {
  useMyAllergies,
  useMyImmunizations,
  useMyProblems,
  type PortalAllergy,
  type PortalImmunization,
  type PortalProblem,
} from '../api/chart.ts';

/** The portal's "My health": my problems, allergies and vaccines, as my clinic recorded them. */
export function MyHealthPage() {
  const { t } = useTranslation('portal');
  return (
    <>
      <PageHeader
        title={t('myChart.health.title')}
        description={t('myChart.health.subtitle')}
        actions={
          <Group gap="md">
            <Anchor component={Link} to="/portal/visits" size="sm">
              {t('myChart.health.seeVisits')}
            </Anchor>
            <Anchor component={Link} to="/portal/vitals" size="sm">
              {t('myChart.health.seeVitals')}
            </Anchor>
          </Group>
        }
      />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Allergies />
          <Problems />
        </SimpleGrid>
        <Immunizations />
      </Stack>
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper component="section" withBorder p="sm" radius="md" aria-labelledby={id} data-testid={id}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const Loading = () => (
  <Stack gap={6} aria-busy>
    <Skeleton h={18} />
    <Skeleton h={18} />
  </Stack>
);

function Allergies() {
  const { t } = useTranslation('portal');
  const f = useFormatters();
  const q = useMyAllergies();
  return (
    <Section id="portal-allergies" title={t('myChart.health.allergies')}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.state === 'no_known' ? (
        <Stack gap={2}>
          <Text fw={600}>{t('myChart.health.noKnown')}</Text>
          <Text size="sm" c="dimmed">
            {t('myChart.health.noKnownSince', { date: f.date(q.data.noKnownStatedAt) })}
          </Text>
        </Stack>
      ) : q.data.state === 'not_recorded' ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          title={t('myChart.health.notRecorded')}
        >
          {t('myChart.health.notRecordedHelp')}
        </Alert>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {q.data.data.map((a) => (
            <AllergyItem key={a.id} allergy={a} />
          ))}
        </Stack>
      )}
    </Section>
  );
}

function AllergyItem({ allergy: a }: { allergy: PortalAllergy }) {
  const { t } = useTranslation('portal');
  const details = [
    t(`history:allergies.types.${a.type}`),
    a.severity ? t(`history:allergies.severities.${a.severity}`) : null,
    a.verificationStatus === 'unconfirmed' ? t('myChart.health.unconfirmed') : null,
    a.status !== 'active' ? t(`history:allergies.statuses.${a.status}`) : null,
  ].filter(Boolean);
  const reaction = [...a.manifestations.map((m) => t(`history:allergies.manifestations.${m}`)), a.reaction]
    .filter(Boolean)
    .join(', ');
  return (
    <Text component="li" size="sm">
      <Text span fw={700} c={a.criticality === 'high' && a.status === 'active' ? 'red.9' : undefined}>
        {substanceLabel(a, t)}
      </Text>
      {a.criticality === 'high' && a.status === 'active' && (
        <Badge ml={6} size="xs" color="red.9" variant="filled">
          {t('history:allergies.criticalities.high')}
        </Badge>
      )}
      <Text span c="dimmed">
        {' — '}
        {details.join(', ')}
      </Text>
      {reaction && <Text size="sm">{reaction}</Text>}
    </Text>
  );
}

function Problems() {
  const { t } = useTranslation('portal');
  const q = useMyProblems();
  const current = q.data?.data.filter((p) => p.status === 'active') ?? [];
  const past = q.data?.data.filter((p) => p.status !== 'active') ?? [];
  return (
    <Section id="portal-problems" title={t('myChart.health.problems')}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.data.length ? (
        <Text size="sm" c="dimmed">
          {t('myChart.health.problemsEmpty')}
        </Text>
      ) : (
        <Stack gap="xs">
          {[
            ['current', current],
            ['past', past],
          ].map(([key, list]) =>
            (list as PortalProblem[]).length ? (
              <div key={key as string}>
                <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                  {t(`myChart.health.${key as string}`)}
                </Text>
                <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                  {(list as PortalProblem[]).map((p) => (
                    <ProblemItem key={p.id} problem={p} />
                  ))}
                </Stack>
              </div>
            ) : null,
          )}
        </Stack>
      )}
    </Section>
  );
}

function ProblemItem({ problem: p }: { problem: PortalProblem }) {
  const { t } = useTranslation('portal');
  const f = useFormatters();
  const when =
    p.status === 'resolved' && p.resolutionDate
      ? t('myChart.health.resolvedOn', { date: f.date(p.resolutionDate) })
      : p.onsetDate
        ? t('myChart.health.since', { date: f.date(p.onsetDate) })
        : null;
  return (
    <Text component="li" size="sm">
      {p.description}{' '}
      {p.code && (
        <Text span ff="monospace" size="xs" c="dimmed">
          {p.code}
        </Text>
      )}
      {(when || p.status === 'inactive') && (
        <Text span size="xs" c="dimmed">
          {' — '}
          {[p.status === 'inactive' ? t('history:problems.status.inactive') : null, when].filter(Boolean).join(', ')}
        </Text>
      )}
    </Text>
  );
}

function Immunizations() {
  const { t } = useTranslation('portal');
  const f = useFormatters();
  const q = useMyImmunizations();
  const given = (i: PortalImmunization) =>
    [
      i.doseNumber ? t('myChart.health.dose', { n: i.doseNumber }) : null,
      i.givenBy
        ? t('myChart.health.givenBy', { name: i.givenBy })
        : i.source === 'reported'
          ? t('myChart.health.reported')
          : null,
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <Section id="portal-immunizations" title={t('myChart.health.immunizations')}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.data.length ? (
        <Text size="sm" c="dimmed">
          {t('myChart.health.immunizationsEmpty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table striped verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('myChart.health.date')}</Table.Th>
                <Table.Th>{t('myChart.health.vaccine')}</Table.Th>
                <Table.Th visibleFrom="xs">{t('myChart.health.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.data.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(i.occurredOn)}</Table.Td>
                  <Table.Td>
                    {i.vaccine}
                    <Text hiddenFrom="xs" size="xs" c="dimmed">
                      {given(i)}
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="xs">{given(i)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
