import { useMemo, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import {
  ITEM_KINDS,
  useBillingSettings,
  useCreateRate,
  useCreateTaxRate,
  useExchangeRates,
  usePriceActions,
  usePriceList,
  useSaveBillingSettings,
  useTaxRates,
  type PriceItem,
} from '../api/billing.ts';
import { useMoney } from '../components/format.ts';
import { isDecimal } from '../lib/money.ts';

const today = () => dayjs().format('YYYY-MM-DD');
const isAmount = (v: string) => isDecimal(v.trim()) && !v.trim().startsWith('-');

/** The clinic's price list, tax rates and billing settings (billing:manage), and the exchange rates (payments:manage). */
export function PricesPage() {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const manage = can('billing:manage');
  const rates = can('payments:manage') || can('payments:read');
  const [tab, setTab] = useState<string | null>(manage ? 'prices' : 'rates');
  return (
    <>
      <PageHeader title={t('prices.title')} description={t('prices.subtitle')} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="sm">
          {manage && <Tabs.Tab value="prices">{t('prices.tab')}</Tabs.Tab>}
          {manage && <Tabs.Tab value="taxes">{t('taxes.tab')}</Tabs.Tab>}
          {manage && <Tabs.Tab value="settings">{t('settings.tab')}</Tabs.Tab>}
          {rates && <Tabs.Tab value="rates">{t('rates.tab')}</Tabs.Tab>}
        </Tabs.List>
        {manage && (
          <Tabs.Panel value="prices">
            <PriceListTab />
          </Tabs.Panel>
        )}
        {manage && (
          <Tabs.Panel value="taxes">
            <TaxRatesTab />
          </Tabs.Panel>
        )}
        {manage && (
          <Tabs.Panel value="settings">
            <SettingsTab />
          </Tabs.Panel>
        )}
        {rates && (
          <Tabs.Panel value="rates">
            <RatesTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function PriceListTab() {
  const { t, i18n } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const fr = i18n.resolvedLanguage?.startsWith('fr');
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [kind, setKind] = useState<string | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const [editing, setEditing] = useState<PriceItem | 'new' | null>(null);
  const prices = usePriceList({
    q: debounced.trim(),
    kind: (kind ?? undefined) as PriceItem['kind'] | undefined,
    currency: currency ?? undefined,
    all,
    limit: 200,
  });
  const columns = useMemo<ColumnDef<PriceItem>[]>(
    () => [
      {
        id: 'code',
        header: t('prices.code'),
        cell: ({ row: { original: p } }) => (
          <Anchor component="button" type="button" size="sm" fw={600} onClick={() => setEditing(p)}>
            {p.code}
          </Anchor>
        ),
      },
      {
        id: 'name',
        header: t('prices.name'),
        cell: ({ row: { original: p } }) => <Text size="sm">{(fr && p.nameFr) || p.name}</Text>,
      },
      { id: 'kind', header: t('prices.kind'), cell: ({ row: { original: p } }) => t(`kinds.${p.kind}`) },
      { id: 'tax', header: t('prices.taxCategory'), cell: ({ row: { original: p } }) => p.taxCategory ?? '—' },
      {
        id: 'price',
        header: t('prices.unitPrice'),
        meta: { align: 'right' },
        cell: ({ row: { original: p } }) => money(p.unitPrice, p.currency),
      },
      {
        id: 'dates',
        header: t('prices.effective'),
        cell: ({ row: { original: p } }) =>
          p.effectiveTo
            ? t('prices.fromTo', { from: f.date(p.effectiveFrom), to: f.date(p.effectiveTo) })
            : t('prices.from', { from: f.date(p.effectiveFrom) }),
      },
      {
        id: 'active',
        header: t('prices.state'),
        cell: ({ row: { original: p } }) =>
          p.active ? (
            <Badge size="sm" variant="light" color="green">
              {t('prices.active')}
            </Badge>
          ) : (
            <Badge size="sm" variant="light" color="gray">
              {t('prices.inactive')}
            </Badge>
          ),
      },
    ],
    [t, f, money, fr],
  );
  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap" align="flex-end">
        <TextInput
          leftSection={<IconSearch size={16} />}
          aria-label={t('prices.search')}
          placeholder={t('prices.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={280}
        />
        <Select
          aria-label={t('prices.kind')}
          placeholder={t('prices.allKinds')}
          clearable
          value={kind}
          onChange={setKind}
          data={ITEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          w={180}
        />
        <Select
          aria-label={t('prices.currency')}
          placeholder={t('prices.allCurrencies')}
          clearable
          value={currency}
          onChange={setCurrency}
          data={activeClinic?.currencies ?? []}
          w={140}
        />
        <Switch label={t('prices.all')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
        <Button ml="auto" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
          {t('prices.new')}
        </Button>
      </Group>
      {prices.error ? (
        <QueryError error={prices.error} onRetry={() => void prices.refetch()} />
      ) : (
        <DataTable
          caption={t('prices.tab')}
          columns={columns}
          data={prices.data ?? []}
          getRowId={(p) => p.id}
          loading={prices.isPending}
          testId="price-list"
          minWidth={820}
          empty={
            <Text size="sm" c="dimmed">
              {t('prices.empty')}
            </Text>
          }
        />
      )}
      {editing && <PriceModal item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function PriceModal({ item, onClose }: { item: PriceItem | null; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const { create, update } = usePriceActions();
  const [v, setV] = useState({
    kind: item?.kind ?? 'procedure',
    code: item?.code ?? '',
    name: item?.name ?? '',
    nameFr: item?.nameFr ?? '',
    taxCategory: item?.taxCategory ?? '',
    procedureCode: item?.procedureCode ?? '',
    currency: item?.currency ?? activeClinic?.currencies[0] ?? 'USD',
    unitPrice: item?.unitPrice ?? '',
    effectiveFrom: item?.effectiveFrom ?? today(),
    effectiveTo: item?.effectiveTo ?? '',
    active: item?.active ?? true,
  });
  const set = (patch: Partial<typeof v>) => setV((prev) => ({ ...prev, ...patch }));
  const mutation = item ? update : create;
  const valid = v.code.trim() && v.name.trim() && isAmount(v.unitPrice) && /^\d{4}-\d{2}-\d{2}$/.test(v.effectiveFrom);
  const submit = () => {
    if (!valid) return;
    const body = {
      kind: v.kind,
      code: v.code.trim(),
      name: v.name.trim(),
      nameFr: v.nameFr.trim() || null,
      taxCategory: v.taxCategory.trim() || null,
      procedureCode: v.procedureCode.trim() || null,
      currency: v.currency,
      unitPrice: v.unitPrice.trim(),
      effectiveFrom: v.effectiveFrom,
      effectiveTo: v.effectiveTo || null,
    };
    const done = {
      onSuccess: () => {
        notifySuccess(t('prices.saved'));
        onClose();
      },
    };
    if (item) update.mutate({ id: item.id, body: { ...body, version: item.version, active: v.active } }, done);
    else create.mutate(body, done);
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={item ? t('prices.edit', { code: item.code }) : t('prices.new')}
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="xs">
          <Group grow>
            <Select
              label={t('prices.kind')}
              data={ITEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
              value={v.kind}
              onChange={(k) => k && set({ kind: k as PriceItem['kind'] })}
              allowDeselect={false}
            />
            <TextInput
              label={t('prices.code')}
              required
              data-autofocus
              value={v.code}
              onChange={(e) => set({ code: e.currentTarget.value })}
            />
          </Group>
          <TextInput label={t('prices.name')} required value={v.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          <TextInput label={t('prices.nameFr')} value={v.nameFr} onChange={(e) => set({ nameFr: e.currentTarget.value })} />
          <Group grow>
            <TextInput
              label={t('prices.taxCategory')}
              value={v.taxCategory}
              onChange={(e) => set({ taxCategory: e.currentTarget.value })}
            />
            <TextInput
              label={t('prices.procedureCode')}
              value={v.procedureCode}
              onChange={(e) => set({ procedureCode: e.currentTarget.value })}
            />
          </Group>
          <Group grow>
            <Select
              label={t('prices.currency')}
              data={activeClinic?.currencies ?? [v.currency]}
              value={v.currency}
              onChange={(c) => c && set({ currency: c })}
              allowDeselect={false}
            />
            <TextInput
              label={t('prices.unitPrice')}
              required
              inputMode="decimal"
              value={v.unitPrice}
              onChange={(e) => set({ unitPrice: e.currentTarget.value })}
              error={v.unitPrice && !isAmount(v.unitPrice) ? t('form.amountInvalid') : undefined}
            />
          </Group>
          <Group grow>
            <TextInput
              type="date"
              label={t('prices.effectiveFrom')}
              required
              value={v.effectiveFrom}
              onChange={(e) => set({ effectiveFrom: e.currentTarget.value })}
            />
            <TextInput
              type="date"
              label={t('prices.effectiveTo')}
              description={t('prices.effectiveToHelp')}
              value={v.effectiveTo}
              onChange={(e) => set({ effectiveTo: e.currentTarget.value })}
            />
          </Group>
          {item && (
            <Switch label={t('prices.active')} checked={v.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
          )}
          {mutation.error && <Alert color="red">{errorMessage(mutation.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={mutation.isPending}>
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TaxRatesTab() {
  const { t } = useTranslation('billing');
  const f = useFormatters();
  const rates = useTaxRates();
  const create = useCreateTaxRate();
  const [v, setV] = useState({ category: '', name: '', rate: '', effectiveFrom: today() });
  const valid = v.category.trim() && v.name.trim() && /^\d{1,3}(\.\d{1,3})?$/.test(v.rate.trim());
  return (
    <Stack gap="sm">
      {rates.error ? (
        <QueryError error={rates.error} onRetry={() => void rates.refetch()} />
      ) : (
        <Paper withBorder p={0}>
          <Table striped verticalSpacing={4} data-testid="tax-rates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('taxes.category')}</Table.Th>
                <Table.Th>{t('taxes.name')}</Table.Th>
                <Table.Th ta="right">{t('taxes.rate')}</Table.Th>
                <Table.Th>{t('prices.effective')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rates.data ?? []).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td fw={600}>{r.category}</Table.Td>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td ta="right">{r.rate} %</Table.Td>
                  <Table.Td>
                    {r.effectiveTo
                      ? t('prices.fromTo', { from: f.date(r.effectiveFrom), to: f.date(r.effectiveTo) })
                      : t('prices.from', { from: f.date(r.effectiveFrom) })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          create.mutate(
            { category: v.category.trim(), name: v.name.trim(), rate: v.rate.trim(), effectiveFrom: v.effectiveFrom },
            {
              onSuccess: () => {
                notifySuccess(t('taxes.saved'));
                setV({ category: '', name: '', rate: '', effectiveFrom: today() });
              },
            },
          );
        }}
      >
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label={t('taxes.category')}
            w={150}
            value={v.category}
            onChange={(e) => setV({ ...v, category: e.currentTarget.value })}
          />
          <TextInput
            label={t('taxes.name')}
            w={220}
            value={v.name}
            onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('taxes.rate')}
            w={100}
            inputMode="decimal"
            value={v.rate}
            onChange={(e) => setV({ ...v, rate: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('prices.effectiveFrom')}
            value={v.effectiveFrom}
            onChange={(e) => setV({ ...v, effectiveFrom: e.currentTarget.value })}
          />
          <Button type="submit" leftSection={<IconPlus size={14} />} disabled={!valid} loading={create.isPending}>
            {t('taxes.add')}
          </Button>
        </Group>
        {create.error && (
          <Alert color="red" mt="xs">
            {errorMessage(create.error, t)}
          </Alert>
        )}
      </form>
    </Stack>
  );
}

function SettingsTab() {
  const settings = useBillingSettings();
  if (settings.error) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return null;
  return <SettingsForm key={settings.data.clinicId} initial={settings.data} />;
}

function SettingsForm({
  initial,
}: {
  initial: { defaultCurrency: string; discountApprovalPercent: string; paymentTermsDays: number };
}) {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const save = useSaveBillingSettings();
  const [v, setV] = useState(initial);
  const percentValid = /^(100(\.0{1,3})?|\d{1,2}(\.\d{1,3})?)$/.test(v.discountApprovalPercent.trim());
  return (
    <Paper withBorder p="sm" maw={520}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!percentValid) return;
          save.mutate(
            {
              defaultCurrency: v.defaultCurrency,
              discountApprovalPercent: v.discountApprovalPercent.trim(),
              paymentTermsDays: v.paymentTermsDays,
            },
            { onSuccess: () => notifySuccess(t('settings.saved')) },
          );
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('settings.defaultCurrency')}
            data={activeClinic?.currencies ?? [v.defaultCurrency]}
            value={v.defaultCurrency}
            onChange={(c) => c && setV({ ...v, defaultCurrency: c })}
            allowDeselect={false}
          />
          <TextInput
            label={t('settings.discountApprovalPercent')}
            description={t('settings.discountApprovalHelp')}
            inputMode="decimal"
            value={v.discountApprovalPercent}
            onChange={(e) => setV({ ...v, discountApprovalPercent: e.currentTarget.value })}
            error={percentValid ? undefined : t('form.percentInvalid')}
          />
          <NumberInput
            label={t('settings.paymentTermsDays')}
            min={0}
            max={365}
            allowDecimal={false}
            value={v.paymentTermsDays}
            onChange={(n) => setV({ ...v, paymentTermsDays: typeof n === 'number' ? n : 0 })}
          />
          {save.error && <Alert color="red">{errorMessage(save.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!percentValid}>
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function RatesTab() {
  const { t } = useTranslation('billing');
  const { can, activeClinic } = useAuth();
  const f = useFormatters();
  const rates = useExchangeRates();
  const create = useCreateRate();
  const currencies = activeClinic?.currencies ?? ['USD', 'CDF'];
  const [v, setV] = useState({ from: currencies[0] ?? 'USD', to: currencies[1] ?? 'CDF', rate: '' });
  const valid = v.from !== v.to && /^\d{1,12}(\.\d{1,6})?$/.test(v.rate.trim()) && Number(v.rate) > 0;
  return (
    <Stack gap="sm">
      {can('payments:manage') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            create.mutate(
              { from: v.from, to: v.to, rate: v.rate.trim() },
              {
                onSuccess: () => {
                  notifySuccess(t('rates.saved'));
                  setV({ ...v, rate: '' });
                },
              },
            );
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <Select
              label={t('rates.from')}
              w={110}
              data={currencies}
              value={v.from}
              onChange={(c) => c && setV({ ...v, from: c })}
              allowDeselect={false}
            />
            <Select
              label={t('rates.to')}
              w={110}
              data={currencies}
              value={v.to}
              onChange={(c) => c && setV({ ...v, to: c })}
              allowDeselect={false}
            />
            <TextInput
              label={t('rates.rate', { from: v.from, to: v.to })}
              w={200}
              inputMode="decimal"
              value={v.rate}
              onChange={(e) => setV({ ...v, rate: e.currentTarget.value })}
            />
            <Button type="submit" leftSection={<IconPlus size={14} />} disabled={!valid} loading={create.isPending}>
              {t('rates.add')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            {t('rates.help')}
          </Text>
          {create.error && (
            <Alert color="red" mt="xs">
              {errorMessage(create.error, t)}
            </Alert>
          )}
        </form>
      )}
      {rates.error ? (
        <QueryError error={rates.error} onRetry={() => void rates.refetch()} />
      ) : (
        <Paper withBorder p={0}>
          <Table striped verticalSpacing={4} data-testid="exchange-rates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rates.pair')}</Table.Th>
                <Table.Th ta="right">{t('rates.rateCol')}</Table.Th>
                <Table.Th>{t('rates.effectiveAt')}</Table.Th>
                <Table.Th>{t('rates.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rates.data ?? []).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td fw={600}>
                    1 {r.from} → {r.to}
                  </Table.Td>
                  <Table.Td ta="right">{r.rate}</Table.Td>
                  <Table.Td>{f.dateTime(r.effectiveAt)}</Table.Td>
                  <Table.Td>{r.createdBy.name}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
