import { Anchor, Group, Skeleton, Stack, Tabs } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { createElement } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { chartParts } from '../../../app/parts.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { usePatient } from '../../patients/index.ts';
import { PatientBanner } from '../components/PatientBanner.tsx';

/**
 * A patient's clinical chart: the banner always in view (with what every feature adds to it: allergies,
 * open alerts), then a tab per part of the chart, each at its own address (`/patients/:id/chart/<tab>`),
 * the summary first. The tabs come from the features' chart declarations (`app/parts.ts`).
 */
export function ChartPage() {
  const { t } = useTranslation();
  const { id = '', section } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const patient = usePatient(id);
  const parts = chartParts(can);
  const active = parts.sections.find((s) => s.key === section) ?? parts.sections[0];

  const back = can('patients:read') ? (
    <Anchor component={Link} to={`/patients/${id}`} size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('chart:chart.backToRecord')}
      </Group>
    </Anchor>
  ) : null;

  if (patient.isPending) {
    return (
      <Stack gap="md" aria-busy>
        {back}
        <Skeleton h={56} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  }
  if (patient.isError) {
    if (isApiError(patient.error) && (patient.error.status === 404 || patient.error.status === 400)) return <NotFoundPage />;
    return (
      <>
        {back}
        <QueryError error={patient.error} onRetry={() => void patient.refetch()} />
      </>
    );
  }
  if (section && active?.key !== section) return <NotFoundPage />;

  return (
    <>
      {back}
      <PatientBanner patient={patient.data}>
        {parts.banner.map((part) => createElement(part.component, { key: part.key, patient: patient.data }))}
      </PatientBanner>
      {active && (
        <Tabs
          value={active.key}
          onChange={(key) => key && void navigate(`/patients/${id}/chart/${key}`)}
          keepMounted={false}
          // arrow keys move between tabs and open them, as a clinician flicks through the chart
          activateTabWithKeyboard
        >
          <Tabs.List mb="md" aria-label={t('chart:chart.sectionsLabel')}>
            {parts.sections.map((s) => (
              <Tabs.Tab key={s.key} value={s.key} leftSection={createElement(s.icon, { size: 16, 'aria-hidden': true })}>
                {t(s.labelKey)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {parts.sections.map((s) => (
            <Tabs.Panel key={s.key} value={s.key}>
              {createElement(s.component, { patient: patient.data })}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </>
  );
}
