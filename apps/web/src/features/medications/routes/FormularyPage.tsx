import { useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Divider,
  Drawer,
  Group,
  Modal,
  NativeSelect,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Timeline,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { MEDICATION_ROUTES, type MedicationRoute } from '@sanita/contracts/medications';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useClinicFormularyItem,
  useCreateFormularyItem,
  useFormularyHistory,
  useFormularySearch,
  useUpdateFormularyItem,
  type FormularyItem,
} from '../api/medications.ts';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The organisation's formulary (/admin/formulary): search it, edit an item (kept in its history, with a
 * reason), add local items, and set this clinic's brand names, price and stock list.
 */
export function FormularyPage() {
  const { t } = useTranslation('medications');
  const [q, setQ] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [inStockList, setInStockList] = useState(false);
  const [debounced] = useDebouncedValue(q.trim(), 200);
  const found = useFormularySearch({
    ...(debounced ? { q: debounced } : {}),
    limit: 50,
    ...(includeInactive ? { includeInactive: true } : {}),
    ...(inStockList ? { inStockList: true } : {}),
  });
  const [editing, setEditing] = useState<FormularyItem | null>(null);
  const [adding, setAdding] = useState(false);
  const rows = found.data?.data ?? [];

  return (
    <>
      <PageHeader
        title={t('formulary.title')}
        description={t('formulary.intro')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('formulary.add')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Group gap="md" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: 1, minWidth: 260 }}
            label={t('formulary.search')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            type="search"
            autoFocus
          />
          <Checkbox
            mb={8}
            label={t('formulary.includeInactive')}
            checked={includeInactive}
            onChange={(e) => setIncludeInactive(e.currentTarget.checked)}
          />
          <Checkbox
            mb={8}
            label={t('formulary.inStockOnly')}
            checked={inStockList}
            onChange={(e) => setInStockList(e.currentTarget.checked)}
          />
        </Group>
        {found.isPending ? (
          <Skeleton h={200} />
        ) : found.isError ? (
          <QueryError error={found.error} onRetry={() => void found.refetch()} />
        ) : (
          <>
            <Text size="xs" c="dimmed" role="status">
              {t('formulary.results', { count: rows.length })}
            </Text>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover verticalSpacing={4} fz="sm" data-testid="formulary-table">
                <Table.Caption>{t('formulary.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('formulary.columns.name')}</Table.Th>
                    <Table.Th>{t('formulary.columns.strength')}</Table.Th>
                    <Table.Th>{t('formulary.columns.form')}</Table.Th>
                    <Table.Th>{t('formulary.columns.route')}</Table.Th>
                    <Table.Th>{t('formulary.columns.class')}</Table.Th>
                    <Table.Th>{t('formulary.columns.source')}</Table.Th>
                    <Table.Th>{t('formulary.columns.clinic')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('formulary.columns.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {item.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {item.genericName}
                          {item.atc.length ? ` · ${item.atc.join(', ')}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{item.strength ?? '—'}</Table.Td>
                      <Table.Td>{item.form ?? '—'}</Table.Td>
                      <Table.Td>{item.route && isRoute(item.route) ? t(`routes.${item.route}`) : (item.route ?? '—')}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{item.therapeuticClass ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={2} align="flex-start">
                          <Text
                            size="xs"
                            fw={600}
                            c={item.source === 'local' ? 'grape' : 'dimmed'}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {t(`formulary.source.${item.source}`)}
                          </Text>
                          {!item.active && (
                            <Badge size="xs" variant="light" color="red">
                              {t('formulary.inactive')}
                            </Badge>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        {item.clinic && (
                          <Stack gap={0}>
                            {item.clinic.brandNames.length > 0 && <Text size="xs">{item.clinic.brandNames.join(', ')}</Text>}
                            {item.clinic.price && (
                              <Text size="xs" ff="monospace">
                                {t('formulary.price', { price: item.clinic.price, currency: item.clinic.currency ?? '' })}
                              </Text>
                            )}
                            {item.clinic.inStockList && (
                              <Badge size="xs" variant="light" color="green">
                                {t('formulary.inStock')}
                              </Badge>
                            )}
                          </Stack>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="compact-xs"
                          variant="default"
                          onClick={() => setEditing(item)}
                          aria-label={t('formulary.edit', { name: item.name })}
                        >
                          {t('formulary.editShort')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size="lg"
        title={editing ? t('formulary.editTitle', { name: editing.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing && <EditItem key={`${editing.id}:${editing.version}`} item={editing} onSaved={setEditing} />}
      </Drawer>
      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('formulary.addTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {adding && <AddItem onDone={() => setAdding(false)} />}
      </Modal>
    </>
  );
}

const isRoute = (r: string): r is MedicationRoute => (MEDICATION_ROUTES as readonly string[]).includes(r);

interface Fields {
  name: string;
  genericName: string;
  ingredients: string;
  strength: string;
  form: string;
  route: string;
  therapeuticClass: string;
  atc: string;
  rxnorm: string;
}

const fieldsOf = (item: FormularyItem | null): Fields => ({
  name: item?.name ?? '',
  genericName: item?.genericName ?? '',
  ingredients: item?.ingredients.join(', ') ?? '',
  strength: item?.strength ?? '',
  form: item?.form ?? '',
  route: item?.route ?? '',
  therapeuticClass: item?.therapeuticClass ?? '',
  atc: item?.atc.join(', ') ?? '',
  rxnorm: item?.rxnorm ?? '',
});

function ItemFields({ value, onChange }: { value: Fields; onChange: (v: Fields) => void }) {
  const { t } = useTranslation('medications');
  const set = (k: keyof Fields) => (e: { currentTarget: { value: string } }) =>
    onChange({ ...value, [k]: e.currentTarget.value });
  return (
    <Stack gap="xs">
      <TextInput
        size="xs"
        label={t('formulary.fields.name')}
        value={value.name}
        onChange={set('name')}
        withAsterisk
        maxLength={200}
      />
      <TextInput
        size="xs"
        label={t('formulary.fields.genericName')}
        value={value.genericName}
        onChange={set('genericName')}
        withAsterisk
        maxLength={200}
      />
      <TextInput
        size="xs"
        label={t('formulary.fields.ingredients')}
        description={t('formulary.fields.ingredientsHelp')}
        value={value.ingredients}
        onChange={set('ingredients')}
      />
      <Group grow gap="xs">
        <TextInput
          size="xs"
          label={t('formulary.fields.strength')}
          value={value.strength}
          onChange={set('strength')}
          maxLength={100}
        />
        <TextInput size="xs" label={t('formulary.fields.form')} value={value.form} onChange={set('form')} maxLength={60} />
        <NativeSelect
          size="xs"
          label={t('formulary.fields.route')}
          value={value.route}
          onChange={set('route')}
          data={[{ value: '', label: '—' }, ...MEDICATION_ROUTES.map((r) => ({ value: r, label: t(`routes.${r}`) }))]}
        />
      </Group>
      <TextInput
        size="xs"
        label={t('formulary.fields.therapeuticClass')}
        value={value.therapeuticClass}
        onChange={set('therapeuticClass')}
        maxLength={200}
      />
      <Group grow gap="xs">
        <TextInput
          size="xs"
          label={t('formulary.fields.atc')}
          description={t('formulary.fields.atcHelp')}
          value={value.atc}
          onChange={set('atc')}
        />
        <TextInput
          size="xs"
          label={t('formulary.fields.rxnorm')}
          value={value.rxnorm}
          onChange={set('rxnorm')}
          inputMode="numeric"
        />
      </Group>
    </Stack>
  );
}

function AddItem({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('medications');
  const create = useCreateFormularyItem();
  const [fields, setFields] = useState<Fields>(fieldsOf(null));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        create.mutate(
          {
            name: fields.name,
            genericName: fields.genericName,
            ...(list(fields.ingredients).length ? { ingredients: list(fields.ingredients) } : {}),
            ...(fields.strength.trim() ? { strength: fields.strength } : {}),
            ...(fields.form.trim() ? { form: fields.form } : {}),
            ...(fields.route && isRoute(fields.route) ? { route: fields.route } : {}),
            ...(fields.therapeuticClass.trim() ? { therapeuticClass: fields.therapeuticClass } : {}),
            ...(list(fields.atc).length ? { atc: list(fields.atc) } : {}),
            ...(fields.rxnorm.trim() ? { rxnorm: fields.rxnorm.trim() } : {}),
          },
          {
            onSuccess: () => {
              notifySuccess(t('formulary.created'));
              onDone();
            },
            onError: (err) => setError(errorMessage(err, t)),
          },
        );
      }}
    >
      <Stack gap="sm">
        <ItemFields value={fields} onChange={setFields} />
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('formulary.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditItem({ item, onSaved }: { item: FormularyItem; onSaved: (item: FormularyItem) => void }) {
  const { t, i18n } = useTranslation('medications');
  const f = useFormatters();
  const update = useUpdateFormularyItem(item.id);
  const clinic = useClinicFormularyItem(item.id);
  const history = useFormularyHistory(item.id);
  const [fields, setFields] = useState<Fields>(fieldsOf(item));
  const [active, setActive] = useState(item.active);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [brands, setBrands] = useState(item.clinic?.brandNames.join(', ') ?? '');
  const [price, setPrice] = useState(item.clinic?.price ?? '');
  const [currency, setCurrency] = useState(item.clinic?.currency ?? '');
  const [inStock, setInStock] = useState(item.clinic?.inStockList ?? false);

  const save = () => {
    setError(null);
    const before = fieldsOf(item);
    const changed = (k: keyof Fields) => fields[k] !== before[k];
    update.mutate(
      {
        version: item.version,
        ...(changed('name') ? { name: fields.name } : {}),
        ...(changed('genericName') ? { genericName: fields.genericName } : {}),
        ...(changed('ingredients') ? { ingredients: list(fields.ingredients) } : {}),
        ...(changed('strength') ? { strength: fields.strength } : {}),
        ...(changed('form') ? { form: fields.form } : {}),
        ...(changed('route') ? { route: fields.route && isRoute(fields.route) ? fields.route : null } : {}),
        ...(changed('therapeuticClass') ? { therapeuticClass: fields.therapeuticClass } : {}),
        ...(changed('atc') ? { atc: list(fields.atc) } : {}),
        ...(changed('rxnorm') ? { rxnorm: fields.rxnorm.trim() || null } : {}),
        ...(active !== item.active ? { active } : {}),
        ...(reason.trim() ? { reason } : {}),
      },
      {
        onSuccess: (saved) => {
          notifySuccess(t('formulary.saved'));
          void history.refetch();
          onSaved(saved);
        },
        onError: (err) => setError(errorMessage(err, t)),
      },
    );
  };

  const saveClinic = () =>
    clinic.mutate(
      {
        brandNames: list(brands),
        price: price.trim() || null,
        currency: currency.trim().toUpperCase() || null,
        inStockList: inStock,
      },
      {
        onSuccess: (saved) => {
          notifySuccess(t('formulary.saved'));
          onSaved(saved);
        },
        onError: (err) => notifyError(err, t),
      },
    );

  return (
    <Stack gap="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Stack gap="sm">
          <ItemFields value={fields} onChange={setFields} />
          <Switch label={t('formulary.fields.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <TextInput
            size="xs"
            label={t('formulary.fields.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
          />
          {error && (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button type="submit" size="xs" loading={update.isPending}>
              {t('formulary.saveItem')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Divider />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          saveClinic();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h5">
            {t('formulary.clinicTitle')}
          </Title>
          <TextInput
            size="xs"
            label={t('formulary.brandNames')}
            description={t('formulary.brandNamesHelp')}
            value={brands}
            onChange={(e) => setBrands(e.currentTarget.value)}
          />
          <Group grow gap="xs">
            <TextInput
              size="xs"
              label={t('formulary.priceLabel')}
              value={price}
              onChange={(e) => setPrice(e.currentTarget.value)}
              inputMode="decimal"
            />
            <TextInput
              size="xs"
              label={t('formulary.currency')}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value)}
              maxLength={3}
            />
          </Group>
          <Checkbox
            size="xs"
            label={t('formulary.inStockList')}
            checked={inStock}
            onChange={(e) => setInStock(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button type="submit" size="xs" variant="default" loading={clinic.isPending}>
              {t('formulary.saveClinic')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Divider />
      <Stack gap="xs" component="section" aria-label={t('formulary.history')}>
        <Title order={2} size="h5">
          {t('formulary.history')}
        </Title>
        {history.isPending ? (
          <Skeleton h={60} />
        ) : history.isError ? (
          <QueryError error={history.error} onRetry={() => void history.refetch()} />
        ) : history.data.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('formulary.historyEmpty')}
          </Text>
        ) : (
          <Timeline bulletSize={10} lineWidth={1}>
            {history.data.data.map((r) => (
              <Timeline.Item
                key={r.version}
                title={
                  <Text size="sm" fw={600}>
                    {r.action === 'created' ? t('formulary.created_') : t('formulary.updated_')} · {f.dateTime(r.at)} ·{' '}
                    {r.by?.name ?? t('formulary.system')}
                  </Text>
                }
              >
                {Object.entries(r.changes).map(([field, c]) => (
                  <Text size="xs" key={field}>
                    {i18n.exists(`medications:formulary.fields.${field}`) ? t(`formulary.fields.${field}`) : field}:{' '}
                    {show(c.from)} → {show(c.to)}
                  </Text>
                ))}
                {r.reason && (
                  <Text size="xs" c="dimmed">
                    {r.reason}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Stack>
  );
}

const show = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};
