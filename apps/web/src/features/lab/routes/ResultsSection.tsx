import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconChartLine, IconFileTypePdf } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  reportUrl,
  useLinkLabDocument,
  useOpenPdf,
  usePatientLabOrders,
  usePatientLabReports,
  usePortalHold,
  useResultsTable,
  type LabOrder,
  type ResultCell,
} from '../api/lab.ts';
import { FlagMark, OrderStatusBadge, PriorityBadge } from '../components/Badges.tsx';
import { rangeLabel, testName, unitLabel } from '../components/labels.ts';
import { TrendChart } from '../components/TrendChart.tsx';
import { flagTone, inReportOrder, resultValue } from '../lib/results.ts';

/**
 * The chart's results tab: the results table (tests as rows, collection days as columns, newest first;
 * abnormal values flagged in colour and letters, critical ones bold), a numeric test's trend with its
 * reference band, and the patient's orders with their status, report and the portal hold of each result.
 */
export function ResultsSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('lab');
  const [trendOf, setTrendOf] = useState<string | null>(null);
  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('chart.title')}
      </Title>
      <ResultsGrid patientId={patient.id} onTrend={setTrendOf} selected={trendOf} />
      {trendOf && <TrendChart patientId={patient.id} testId={trendOf} onClose={() => setTrendOf(null)} />}
      <Orders patientId={patient.id} />
    </Stack>
  );
}

function ResultsGrid({
  patientId,
  onTrend,
  selected,
}: {
  patientId: string;
  onTrend: (testId: string) => void;
  selected: string | null;
}) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const table = useResultsTable(patientId);
  if (table.isPending) return <Skeleton h={160} />;
  if (table.isError) return <QueryError error={table.error} onRetry={() => void table.refetch()} />;
  const { columns, rows } = table.data;
  if (rows.length === 0) return <EmptyState title={t('chart.emptyTitle')} description={t('chart.empty')} />;
  return (
    <Table.ScrollContainer minWidth={Math.max(480, 200 + columns.length * 110)}>
      <Table striped highlightOnHover withColumnBorders verticalSpacing={4} fz="sm" data-testid="lab-results-table">
        <Table.Caption>{t('chart.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('chart.test')}</Table.Th>
            {columns.map((day) => (
              <Table.Th key={day} scope="col" style={{ whiteSpace: 'nowrap' }}>
                {f.date(day)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const numeric = row.cells.some((c) => c?.valueNumeric !== null && c?.valueNumeric !== undefined);
            return (
              <Table.Tr
                key={row.testId}
                data-testid="lab-results-row"
                data-code={row.code}
                aria-selected={selected === row.testId || undefined}
              >
                <Table.Th scope="row" fw={500}>
                  {numeric ? (
                    <UnstyledButton
                      onClick={() => onTrend(row.testId)}
                      aria-label={t('chart.showTrend', { name: testName(row, i18n.resolvedLanguage) })}
                      data-testid="lab-trend-open"
                    >
                      <Group gap={4} wrap="nowrap">
                        <IconChartLine size={14} aria-hidden color="var(--mantine-color-indigo-7)" />
                        <Text span size="sm" fw={500} c="indigo.8" td="underline">
                          {testName(row, i18n.resolvedLanguage)}
                        </Text>
                      </Group>
                    </UnstyledButton>
                  ) : (
                    testName(row, i18n.resolvedLanguage)
                  )}
                  <Text size="xs" c="dimmed">
                    {[row.code, unitLabel(row.unit)].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Th>
                {row.cells.map((cell, i) => (
                  <Table.Td key={columns[i]}>{cell ? <Cell cell={cell} /> : ''}</Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Cell({ cell }: { cell: ResultCell }) {
  const { t } = useTranslation('lab');
  const tone = flagTone(cell.flag);
  return (
    <Group gap={4} wrap="nowrap" title={cell.rangeText ? t('chart.rangeTitle', { range: cell.rangeText }) : undefined}>
      <Text
        span
        size="sm"
        fw={tone.critical ? 800 : cell.flag ? 600 : 400}
        c={cell.flag ? tone.color : undefined}
        fs={cell.status === 'released' ? undefined : 'italic'}
      >
        {cell.value}
      </Text>
      <FlagMark flag={cell.flag} />
      {cell.status !== 'released' && (
        <Text span size="xs" c="dimmed">
          {t(`resultStatus.${cell.status}`)}
        </Text>
      )}
    </Group>
  );
}

function Orders({ patientId }: { patientId: string }) {
  const { t } = useTranslation('lab');
  const orders = usePatientLabOrders(patientId);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {t('chart.orders')}
      </Title>
      {orders.isPending ? (
        <Skeleton h={80} />
      ) : orders.isError ? (
        <QueryError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noOrders')}
        </Text>
      ) : (
        orders.data.map((o) => <OrderCard key={o.id} order={o} patientId={patientId} />)
      )}
    </Stack>
  );
}

function OrderCard({ order, patientId }: { order: LabOrder; patientId: string }) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const { can } = useAuth();
  const openPdf = useOpenPdf();
  const hold = usePortalHold(patientId);
  const results = inReportOrder(order);
  const released = results.some((r) => r.status === 'released');
  const titleId = `lab-chart-order-${order.id}`;
  const answersOf = (testId: string) => order.items.flatMap((i) => i.expected).find((e) => e.testId === testId)?.answers ?? [];
  const fr = i18n.resolvedLanguage?.startsWith('fr');
  return (
    <Paper withBorder p="sm" radius="md" component="article" aria-labelledby={titleId} data-testid="lab-chart-order">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap">
            <Text fw={600} size="sm" id={titleId}>
              {order.items.map((i) => testName(i, i18n.resolvedLanguage)).join(', ')}
            </Text>
            <PriorityBadge priority={order.priority} />
            <OrderStatusBadge status={order.status} />
          </Group>
          {released && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => void openPdf(reportUrl(order.id)).catch((err: unknown) => notifyError(err, t))}
              aria-describedby={titleId}
              data-testid="lab-report-pdf"
            >
              <Group gap={4} component="span">
                <IconFileTypePdf size={16} aria-hidden />
                {t('chart.report')}
              </Group>
            </Anchor>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t('chart.orderMeta', {
            number: order.number,
            name: order.orderedBy?.name ?? t('worklist.outside'),
            when: f.dateTime(order.orderedAt),
          })}
          {order.documentIds.length > 0 && (
            <>
              {' · '}
              <Anchor component={Link} to={`/patients/${patientId}/chart/documents`} size="xs" data-testid="lab-order-documents">
                {t('chart.documents', { count: order.documentIds.length })}
              </Anchor>
            </>
          )}
        </Text>
        {(can('lab:order') || can('lab:process')) && order.status !== 'cancelled' && (
          <LinkReport order={order} patientId={patientId} />
        )}
        {results.length > 0 && (
          <Table verticalSpacing={2} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entry.test')}</Table.Th>
                <Table.Th>{t('entry.value')}</Table.Th>
                <Table.Th>{t('entry.range')}</Table.Th>
                <Table.Th>{t('chart.state')}</Table.Th>
                {can('lab:order') && <Table.Th>{t('chart.portal')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.map((r) => {
                const tone = flagTone(r.flag);
                const answers = answersOf(r.testId);
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td>{testName(r, i18n.resolvedLanguage)}</Table.Td>
                    <Table.Td>
                      <Text span size="sm" fw={tone.critical ? 800 : r.flag ? 600 : 400} c={r.flag ? tone.color : undefined}>
                        {resultValue(r, (code) => {
                          const a = answers.find((x) => x.code === code);
                          return a ? (fr ? a.fr : a.en) : code;
                        })}{' '}
                        {unitLabel(r.unit)}
                      </Text>{' '}
                      <FlagMark flag={r.flag} />
                    </Table.Td>
                    <Table.Td>{rangeLabel(r, answers, i18n.resolvedLanguage)}</Table.Td>
                    <Table.Td>
                      <Badge size="xs" variant="light" color={r.status === 'released' ? 'green' : 'gray'}>
                        {t(`resultStatus.${r.status}`)}
                      </Badge>
                    </Table.Td>
                    {can('lab:order') && (
                      <Table.Td>
                        {r.status === 'released' && (
                          <Switch
                            size="xs"
                            checked={!r.portalHold}
                            label={r.portalHold ? t('chart.held') : t('chart.shown')}
                            aria-label={t('chart.portalOf', { name: r.name })}
                            disabled={hold.isPending}
                            onChange={(e) =>
                              hold.mutate(
                                { resultId: r.id, hold: !e.currentTarget.checked, version: r.version },
                                { onError: (err) => notifyError(err, t) },
                              )
                            }
                            data-testid="lab-portal-hold"
                          />
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** Links an outside report uploaded in the patient's documents (category lab report) to the order. */
function LinkReport({ order, patientId }: { order: LabOrder; patientId: string }) {
  const { t } = useTranslation('lab');
  const [open, setOpen] = useState(false);
  const reports = usePatientLabReports(patientId, open);
  const link = useLinkLabDocument(patientId);
  const [chosen, setChosen] = useState<string | null>(null);
  if (!open)
    return (
      <Anchor component="button" type="button" size="xs" w="fit-content" onClick={() => setOpen(true)}>
        {t('chart.linkReport')}
      </Anchor>
    );
  const options = (reports.data ?? [])
    .filter((d) => !order.documentIds.includes(d.id))
    .map((d) => ({ value: d.id, label: d.title }));
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        size="xs"
        label={t('chart.linkReport')}
        placeholder={
          reports.isPending ? t('chart.loadingReports') : options.length ? t('chart.chooseReport') : t('chart.noReports')
        }
        data={options}
        value={chosen}
        onChange={setChosen}
        disabled={!options.length}
        w={300}
      />
      <Button
        size="xs"
        disabled={!chosen}
        loading={link.isPending}
        onClick={() =>
          chosen &&
          link.mutate(
            { orderId: order.id, documentId: chosen },
            {
              onSuccess: () => {
                notifySuccess(t('chart.linked'));
                setOpen(false);
                setChosen(null);
              },
              onError: (err) => notifyError(err, t),
            },
          )
        }
      >
        {t('chart.link')}
      </Button>
      <Button size="xs" variant="subtle" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </Button>
    </Group>
  );
}
