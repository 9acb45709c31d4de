import { Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useMyLabResults, type PortalLabResult } from '../api/lab.ts';
import { flagTone } from '../lib/results.ts';
import { testName, unitLabel } from '../components/labels.ts';

/**
 * The portal's "My test results": each released result (not held back by the doctor), newest first, with
 * its reference range and what its flag means in words.
 */
export function PortalResultsPage() {
  const { t } = useTranslation('lab');
  const list = useMyLabResults();
  return (
    <>
      <PageHeader title={t('portal.title')} description={t('portal.subtitle')} />
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Stack aria-busy>
          <Skeleton h={140} radius="md" />
        </Stack>
      ) : list.data.length === 0 ? (
        <EmptyState icon={<IconFlask size={22} />} title={t('portal.emptyTitle')} description={t('portal.empty')} />
      ) : (
        <Stack gap="sm">
          <Paper withBorder radius="md" p={0}>
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs" striped data-testid="portal-lab-results">
                <Table.Caption>{t('portal.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('portal.test')}</Table.Th>
                    <Table.Th scope="col">{t('portal.result')}</Table.Th>
                    <Table.Th scope="col">{t('portal.range')}</Table.Th>
                    <Table.Th scope="col">{t('portal.meaning')}</Table.Th>
                    <Table.Th scope="col">{t('portal.date')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.map((r) => (
                    <Row key={r.id} result={r} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Text size="sm" c="dimmed">
            {t('portal.advice')}
          </Text>
        </Stack>
      )}
    </>
  );
}

function Row({ result: r }: { result: PortalLabResult }) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const tone = flagTone(r.flag);
  return (
    <Table.Tr data-testid="portal-lab-result">
      <Table.Th scope="row" fw={500}>
        {testName(r, i18n.resolvedLanguage)}
      </Table.Th>
      <Table.Td>
        <Text span fw={r.flag ? 700 : 400} c={r.flag ? tone.color : undefined}>
          {r.value}
          {r.unit ? ` ${unitLabel(r.unit)}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>{r.rangeText ?? '—'}</Table.Td>
      <Table.Td>
        <Text span size="sm" fw={r.flag ? 600 : 400} c={r.flag ? tone.color : undefined} data-testid="portal-lab-meaning">
          {r.flag ? t(`portal.flag.${r.flag}`) : r.rangeText ? t('portal.normal') : t('portal.noRange')}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(r.observedAt ?? r.releasedAt)}</Table.Td>
    </Table.Tr>
  );
}
