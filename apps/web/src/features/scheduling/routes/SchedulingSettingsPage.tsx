import { useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import {
  ActionIcon,
  Badge,
  Button,
  ColorSwatch,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEdit, IconPlus, IconStethoscope, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { ClinicClosuresCard } from '../components/ClinicClosuresCard.tsx';
import {
  localName,
  useSaveSpecialty,
  useSaveVisitType,
  useSpecialties,
  useVisitTypes,
  VISIT_COLORS,
  type Specialty,
  type VisitColor,
  type VisitType,
} from '../api/masterdata.ts';

type Editing<T> = { item: T | null } | null;

/** Master data of scheduling: specialties, visit types and the clinic's closures (settings:write). */
export function SchedulingSettingsPage() {
  const { t } = useTranslation('scheduling');
  return (
    <>
      <PageHeader title={t('masterData.title')} description={t('masterData.subtitle')} />
      <Tabs defaultValue="visit-types" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="visit-types" leftSection={<IconClock size={16} aria-hidden />}>
            {t('masterData.visitTypes')}
          </Tabs.Tab>
          <Tabs.Tab value="specialties" leftSection={<IconStethoscope size={16} aria-hidden />}>
            {t('masterData.specialties')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="visit-types">
          <VisitTypesTab />
        </Tabs.Panel>
        <Tabs.Panel value="specialties">
          <SpecialtiesTab />
        </Tabs.Panel>
      </Tabs>
      <Stack mt="xl">
        <ClinicClosuresCard />
      </Stack>
    </>
  );
}

function ListSkeleton() {
  return (
    <Stack aria-busy>
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} h={40} />
      ))}
    </Stack>
  );
}

function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation('scheduling');
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'}>
      {active ? t('masterData.active') : t('masterData.inactive')}
    </Badge>
  );
}

/** One kind of master data: a table of codes and names with an add button and an edit dialog. */
function MasterDataTab<T extends Specialty | VisitType>({
  list,
  addLabel,
  newTitle,
  empty,
  headers,
  cells,
  form,
}: {
  list: UseQueryResult<T[]>;
  addLabel: string;
  newTitle: string;
  empty: { icon: ReactNode; title: string; description: string };
  /** column headers between the French name and "active" */
  headers: string[];
  cells: (item: T) => ReactNode;
  form: (item: T | null, onClose: () => void) => ReactNode;
}) {
  const { t, i18n } = useTranslation('scheduling');
  const [editing, setEditing] = useState<Editing<T>>(null);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing({ item: null })}>
          {addLabel}
        </Button>
      </Group>
      {list.isPending ? (
        <ListSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState icon={empty.icon} title={empty.title} description={empty.description} />
      ) : (
        <Paper withBorder>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterData.code')}</Table.Th>
                <Table.Th>{t('masterData.name')}</Table.Th>
                <Table.Th>{t('masterData.nameFr')}</Table.Th>
                {headers.map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
                <Table.Th>{t('masterData.active')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td ff="monospace">{item.code}</Table.Td>
                  <Table.Td>{item.name}</Table.Td>
                  <Table.Td>{item.nameFr}</Table.Td>
                  {cells(item)}
                  <Table.Td>
                    <ActiveBadge active={item.active} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('masterData.edit', { name: localName(item, i18n.resolvedLanguage) })}
                      onClick={() => setEditing({ item })}
                    >
                      <IconEdit size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        centered
        title={editing?.item ? t('masterData.editTitle', { name: localName(editing.item, i18n.resolvedLanguage) }) : newTitle}
      >
        {editing && form(editing.item, () => setEditing(null))}
      </Modal>
    </Stack>
  );
}

function VisitTypesTab() {
  const { t } = useTranslation('scheduling');
  return (
    <MasterDataTab
      list={useVisitTypes()}
      addLabel={t('masterData.addVisitType')}
      newTitle={t('masterData.newVisitType')}
      empty={{
        icon: <IconClock size={22} />,
        title: t('masterData.emptyVisitTypesTitle'),
        description: t('masterData.emptyVisitTypes'),
      }}
      headers={[t('masterData.duration'), t('masterData.color')]}
      cells={(v) => (
        <>
          <Table.Td>{v.durationMinutes}</Table.Td>
          <Table.Td>
            <Group gap={6}>
              <ColorSwatch color={`var(--mantine-color-${v.color}-6)`} size={14} aria-hidden />
              <Text size="sm">{t(`masterData.colors.${v.color}`, { defaultValue: v.color })}</Text>
            </Group>
          </Table.Td>
        </>
      )}
      form={(item, onClose) => <VisitTypeForm item={item} onClose={onClose} />}
    />
  );
}

function VisitTypeForm({ item, onClose }: { item: VisitType | null; onClose: () => void }) {
  const { t } = useTranslation('scheduling');
  const save = useSaveVisitType();
  const form = useForm({
    initialValues: {
      code: item?.code ?? '',
      name: item?.name ?? '',
      nameFr: item?.nameFr ?? '',
      durationMinutes: (item?.durationMinutes ?? 20) as number | string,
      color: (item?.color ?? 'blue') as VisitColor,
      active: item?.active ?? true,
    },
    validate: {
      code: (v) => (v.trim() ? null : t('validation.required')),
      name: (v) => (v.trim() ? null : t('validation.required')),
      nameFr: (v) => (v.trim() ? null : t('validation.required')),
      durationMinutes: (v) => (v === '' ? t('validation.required') : null),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        const body = {
          ...v,
          code: v.code.trim(),
          name: v.name.trim(),
          nameFr: v.nameFr.trim(),
          durationMinutes: Number(v.durationMinutes),
        };
        save.mutate(
          { id: item?.id, body },
          {
            onSuccess: (saved) => {
              notifySuccess(t('masterData.saved', { name: saved.name }));
              onClose();
            },
            onError: (err) => handleFormError(form, err, t),
          },
        );
      })}
    >
      <Stack gap="sm">
        <TextInput
          label={t('masterData.code')}
          description={t('masterData.codeHelp')}
          withAsterisk
          {...form.getInputProps('code')}
        />
        <TextInput label={t('masterData.name')} withAsterisk {...form.getInputProps('name')} />
        <TextInput label={t('masterData.nameFr')} withAsterisk {...form.getInputProps('nameFr')} />
        <NumberInput
          label={t('masterData.duration')}
          min={5}
          max={480}
          step={5}
          withAsterisk
          {...form.getInputProps('durationMinutes')}
        />
        <Select
          label={t('masterData.color')}
          data={VISIT_COLORS.map((c) => ({ value: c, label: t(`masterData.colors.${c}`) }))}
          allowDeselect={false}
          leftSection={<ColorSwatch color={`var(--mantine-color-${form.values.color}-6)`} size={14} aria-hidden />}
          {...form.getInputProps('color')}
        />
        <Switch label={t('masterData.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SpecialtiesTab() {
  const { t } = useTranslation('scheduling');
  return (
    <MasterDataTab
      list={useSpecialties()}
      addLabel={t('masterData.addSpecialty')}
      newTitle={t('masterData.newSpecialty')}
      empty={{
        icon: <IconStethoscope size={22} />,
        title: t('masterData.emptySpecialtiesTitle'),
        description: t('masterData.emptySpecialties'),
      }}
      headers={[]}
      cells={() => null}
      form={(item, onClose) => <SpecialtyForm item={item} onClose={onClose} />}
    />
  );
}

function SpecialtyForm({ item, onClose }: { item: Specialty | null; onClose: () => void }) {
  const { t } = useTranslation('scheduling');
  const save = useSaveSpecialty();
  const form = useForm({
    initialValues: { code: item?.code ?? '', name: item?.name ?? '', nameFr: item?.nameFr ?? '', active: item?.active ?? true },
    validate: {
      code: (v) => (v.trim() ? null : t('validation.required')),
      name: (v) => (v.trim() ? null : t('validation.required')),
      nameFr: (v) => (v.trim() ? null : t('validation.required')),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        save.mutate(
          { id: item?.id, body: { ...v, code: v.code.trim(), name: v.name.trim(), nameFr: v.nameFr.trim() } },
          {
            onSuccess: (saved) => {
              notifySuccess(t('masterData.saved', { name: saved.name }));
              onClose();
            },
            onError: (err) => handleFormError(form, err, t),
          },
        ),
      )}
    >
      <Stack gap="sm">
        <TextInput
          label={t('masterData.code')}
          description={t('masterData.codeHelp')}
          withAsterisk
          {...form.getInputProps('code')}
        />
        <TextInput label={t('masterData.name')} withAsterisk {...form.getInputProps('name')} />
        <TextInput label={t('masterData.nameFr')} withAsterisk {...form.getInputProps('nameFr')} />
        <Switch label={t('masterData.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
