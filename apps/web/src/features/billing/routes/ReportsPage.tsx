import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import {
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import { REVENUE_GROUPS, useAgingReport, useReportDownload, useRevenueReport, type RevenueQuery } from '../api/billing.ts';
import { useMoney } from '../components/format.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** For the chart only (bars need numbers); every figure shown as text stays exact. */
const chartNumber = (text: string) => Number(text);

/** The chart's axis in short figures ("1.2K"), its tooltips in full. */
function useAxis() {
  const { i18n } = useTranslation();
  const compact = new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en', { notation: 'compact', maximumFractionDigits: 1 });
  return { tickFormatter: (n: number) => compact.format(n), width: 56 };
}

/** Revenue for a period grouped by day, clinic, service, practitioner or method; outstanding balances by age. */
export function ReportsPage() {
  const { t } = useTranslation('billing');
  return (
    <>
      <PageHeader title={t('reports.title')} description={t('reports.subtitle')} />
      <Tabs defaultValue="revenue" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="revenue">{t('reports.revenue')}</Tabs.Tab>
          <Tabs.Tab value="aging">{t('reports.aging')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="revenue">
          <Revenue />
        </Tabs.Panel>
        <Tabs.Panel value="aging">
          <Aging />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function Scope({
  consolidated,
  setConsolidated,
  currency,
  setCurrency,
}: {
  consolidated: boolean;
  setConsolidated: (v: boolean) => void;
  currency: string | null;
  setCurrency: (v: string | null) => void;
}) {
  const { t } = useTranslation('billing');
  const { activeClinic, me } = useAuth();
  return (
    <>
      <Select
        label={t('reports.currency')}
        placeholder={t('reports.clinicCurrency')}
        clearable
        w={150}
        data={activeClinic?.currencies ?? []}
        value={currency}
        onChange={setCurrency}
      />
      {(me?.clinics.length ?? 0) > 1 && (
        <Switch
          label={t('reports.consolidated')}
          checked={consolidated}
          onChange={(e) => setConsolidated(e.currentTarget.checked)}
          mb={6}
        />
      )}
    </>
  );
}

function Downloads({ onDownload }: { onDownload: (format: 'csv' | 'pdf') => Promise<void> }) {
  const { t } = useTranslation('billing');
  const [busy, setBusy] = useState<'csv' | 'pdf' | null>(null);
  const run = (format: 'csv' | 'pdf') => {
    setBusy(format);
    onDownload(format)
      .catch((err: unknown) => notifyError(err, t))
      .finally(() => setBusy(null));
  };
  return (
    <Group gap="xs" ml="auto">
      <Button
        variant="default"
        leftSection={<IconFileSpreadsheet size={16} />}
        loading={busy === 'csv'}
        onClick={() => run('csv')}
      >
        {t('reports.csv')}
      </Button>
      <Button variant="default" leftSection={<IconFileTypePdf size={16} />} loading={busy === 'pdf'} onClick={() => run('pdf')}>
        {t('reports.pdf')}
      </Button>
    </Group>
  );
}

function Revenue() {
  const { t } = useTranslation('billing');
  const axis = useAxis();
  const money = useMoney();
  const download = useReportDownload();
  const [from, setFrom] = useState(dayjs().startOf('month').format('YYYY-MM-DD'));
  const [to, setTo] = useState(dayjs().format('YYYY-MM-DD'));
  const [groupBy, setGroupBy] = useState<RevenueQuery['groupBy']>('day');
  const [consolidated, setConsolidated] = useState(false);
  const [currency, setCurrency] = useState<string | null>(null);
  const valid = DATE.test(from) && DATE.test(to) && from <= to;
  const query: RevenueQuery = { from, to, groupBy, consolidated, ...(currency ? { currency } : {}) };
  const report = useRevenueReport(valid ? query : { from: to, to, groupBy, consolidated });
  const r = report.data;
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput type="date" label={t('reports.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput
          type="date"
          label={t('reports.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={valid ? undefined : t('reports.badPeriod')}
        />
        <Select
          label={t('reports.groupBy')}
          w={170}
          data={REVENUE_GROUPS.map((g) => ({ value: g, label: t(`reports.groups.${g}`) }))}
          value={groupBy ?? 'day'}
          onChange={(g) => g && setGroupBy(g as RevenueQuery['groupBy'])}
          allowDeselect={false}
        />
        <Scope consolidated={consolidated} setConsolidated={setConsolidated} currency={currency} setCurrency={setCurrency} />
        <Downloads onDownload={(format) => download('revenue', query, format)} />
      </Group>
      {report.error ? (
        <QueryError error={report.error} onRetry={() => void report.refetch()} />
      ) : !r ? (
        <Skeleton h={300} />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Figure label={t('reports.invoiced')} value={money(r.totals.invoiced, r.currency)} />
            <Figure label={t('reports.collected')} value={money(r.totals.collected, r.currency)} />
            <Figure label={t('reports.count')} value={String(r.totals.count)} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('reports.scope', { clinics: r.clinics.map((c) => c.name).join(', '), currency: r.currency })}
          </Text>
          {r.rows.length > 0 && (
            <Paper withBorder p="sm">
              <BarChart
                h={260}
                data={r.rows.map((row) => ({
                  label: row.label,
                  invoiced: chartNumber(row.invoiced),
                  collected: chartNumber(row.collected),
                }))}
                dataKey="label"
                withLegend
                series={[
                  { name: 'invoiced', label: t('reports.invoiced'), color: 'blue.6' },
                  { name: 'collected', label: t('reports.collected'), color: 'teal.6' },
                ]}
                valueFormatter={(n) => money(String(n), r.currency)}
                yAxisProps={axis}
              />
            </Paper>
          )}
          <Paper withBorder p={0}>
            <Table striped verticalSpacing={4} data-testid="revenue-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`reports.groups.${r.groupBy}`)}</Table.Th>
                  <Table.Th ta="right">{t('reports.invoiced')}</Table.Th>
                  <Table.Th ta="right">{t('reports.collected')}</Table.Th>
                  <Table.Th ta="right">{t('reports.count')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>
                      <Text size="sm" c="dimmed">
                        {t('reports.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {r.rows.map((row) => (
                  <Table.Tr key={row.key}>
                    <Table.Td>
                      {r.groupBy === 'method' ? t(`methods.${row.key}`, { defaultValue: row.label }) : row.label}
                    </Table.Td>
                    <Table.Td ta="right">{money(row.invoiced, r.currency)}</Table.Td>
                    <Table.Td ta="right">{money(row.collected, r.currency)}</Table.Td>
                    <Table.Td ta="right">{row.count}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      )}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

function Aging() {
  const { t } = useTranslation('billing');
  const axis = useAxis();
  const f = useFormatters();
  const money = useMoney();
  const download = useReportDownload();
  const [on, setOn] = useState(dayjs().format('YYYY-MM-DD'));
  const [consolidated, setConsolidated] = useState(false);
  const [currency, setCurrency] = useState<string | null>(null);
  const query = { ...(DATE.test(on) ? { on } : {}), consolidated, ...(currency ? { currency } : {}) };
  const report = useAgingReport(query);
  const r = report.data;
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput type="date" label={t('reports.on')} value={on} onChange={(e) => setOn(e.currentTarget.value)} />
        <Scope consolidated={consolidated} setConsolidated={setConsolidated} currency={currency} setCurrency={setCurrency} />
        <Downloads onDownload={(format) => download('aging', query, format)} />
      </Group>
      {report.error ? (
        <QueryError error={report.error} onRetry={() => void report.refetch()} />
      ) : !r ? (
        <Skeleton h={300} />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            {r.buckets.map((b) => (
              <Figure
                key={b.bucket}
                label={t('reports.bucket', { bucket: b.bucket, count: b.invoices })}
                value={money(b.amount, r.currency)}
              />
            ))}
            <Figure label={t('reports.outstanding')} value={money(r.total, r.currency)} />
          </SimpleGrid>
          <Paper withBorder p="sm">
            <BarChart
              h={200}
              data={r.buckets.map((b) => ({ bucket: t('reports.days', { bucket: b.bucket }), amount: chartNumber(b.amount) }))}
              dataKey="bucket"
              series={[{ name: 'amount', label: t('reports.outstanding'), color: 'orange.6' }]}
              valueFormatter={(n) => money(String(n), r.currency)}
              yAxisProps={axis}
            />
          </Paper>
          <Title order={2} size="h4">
            {t('reports.largest')}
          </Title>
          <Paper withBorder p={0}>
            <Table striped verticalSpacing={4} data-testid="aging-invoices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('desk.number')}</Table.Th>
                  <Table.Th>{t('desk.patient')}</Table.Th>
                  <Table.Th>{t('reports.clinic')}</Table.Th>
                  <Table.Th>{t('reports.dueDate')}</Table.Th>
                  <Table.Th ta="right">{t('reports.age')}</Table.Th>
                  <Table.Th ta="right">{t('desk.balance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.invoices.map((i) => (
                  <Table.Tr key={i.invoiceId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/billing/invoices/${i.invoiceId}`} size="sm">
                        {i.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {i.patient.name} · {i.patient.mrn}
                    </Table.Td>
                    <Table.Td>{i.clinic}</Table.Td>
                    <Table.Td>{f.date(i.dueDate)}</Table.Td>
                    <Table.Td ta="right">{t('reports.ageDays', { count: i.days })}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {money(i.balance, r.currency)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      )}
    </Stack>
  );
}
