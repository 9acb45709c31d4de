import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Button, Group, Modal, Select, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMapPin, IconPencil, IconPlus } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { CreateServicePointBody } from '@sanita/contracts/queue';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { fieldRule } from '../../../lib/validation.ts';
import {
  SERVICE_POINT_KINDS,
  useSaveServicePoint,
  useServicePoints,
  type ServicePoint,
  type ServicePointInput,
} from '../api/queue.ts';

/** Where patients queue in the active clinic: triage, consultation rooms, lab, pharmacy, cashier. */
export function ServicePointsPage() {
  const { t } = useTranslation('queue');
  const { activeClinic } = useAuth();
  const servicePoints = useServicePoints();
  const [editing, setEditing] = useState<ServicePoint | 'new' | null>(null);

  const columns = useMemo<ColumnDef<ServicePoint>[]>(
    () => [
      {
        id: 'name',
        header: t('servicePoints.fields.name'),
        cell: ({ row }) => (
          <Text size="sm" fw={600}>
            {row.original.name}
          </Text>
        ),
      },
      {
        id: 'code',
        header: t('servicePoints.fields.code'),
        cell: ({ row }) => (
          <Text size="sm" ff="monospace">
            {row.original.code}
          </Text>
        ),
        meta: { width: 120 },
      },
      { id: 'kind', header: t('servicePoints.fields.kind'), cell: ({ row }) => t(`servicePoints.kinds.${row.original.kind}`) },
      {
        id: 'prefix',
        header: t('servicePoints.fields.ticketPrefix'),
        cell: ({ row }) => (
          <Text size="sm" ff="monospace" fw={700}>
            {row.original.ticketPrefix}-001
          </Text>
        ),
        meta: { width: 130 },
      },
      { id: 'room', header: t('servicePoints.fields.room'), cell: ({ row }) => row.original.room ?? '—' },
      {
        id: 'active',
        header: t('servicePoints.fields.active'),
        cell: ({ row }) => (
          <Badge variant="light" color={row.original.active ? 'green' : 'gray'}>
            {t(row.original.active ? 'servicePoints.active' : 'servicePoints.inactive')}
          </Badge>
        ),
        meta: { width: 110 },
      },
      {
        id: 'actions',
        header: t('common.actions'),
        cell: ({ row }) => (
          <Tooltip label={t('servicePoints.editOne', { name: row.original.name })}>
            <ActionIcon
              variant="subtle"
              onClick={() => setEditing(row.original)}
              aria-label={t('servicePoints.editOne', { name: row.original.name })}
            >
              <IconPencil size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        ),
        meta: { width: 90, align: 'right' },
      },
    ],
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('servicePoints.title')}
        description={t('servicePoints.subtitle', { clinic: activeClinic?.name ?? '' })}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('servicePoints.new')}
          </Button>
        }
      />
      {servicePoints.isError ? (
        <QueryError error={servicePoints.error} onRetry={() => void servicePoints.refetch()} />
      ) : (
        <DataTable
          caption={t('servicePoints.title')}
          columns={columns}
          data={servicePoints.data ?? []}
          getRowId={(sp) => sp.id}
          loading={servicePoints.isPending}
          testId="service-points"
          empty={
            <EmptyState
              icon={<IconMapPin />}
              title={t('servicePoints.emptyTitle')}
              description={t('servicePoints.empty')}
              action={
                <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
                  {t('servicePoints.new')}
                </Button>
              }
            />
          }
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('servicePoints.new') : t('servicePoints.editOne', { name: editing?.name ?? '' })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        {editing !== null && (
          <ServicePointForm
            key={editing === 'new' ? 'new' : editing.id}
            servicePoint={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </>
  );
}

function ServicePointForm({ servicePoint, onDone }: { servicePoint: ServicePoint | null; onDone: () => void }) {
  const { t } = useTranslation('queue');
  const save = useSaveServicePoint();
  const form = useForm<ServicePointInput>({
    initialValues: {
      code: servicePoint?.code ?? '',
      name: servicePoint?.name ?? '',
      kind: servicePoint?.kind ?? 'consultation',
      ticketPrefix: servicePoint?.ticketPrefix ?? '',
      room: servicePoint?.room ?? '',
      active: servicePoint?.active ?? true,
    },
    validate: {
      // the server's own rules (CreateServicePointBody), each said the field's way
      code: fieldRule(CreateServicePointBody.properties.code, t, { message: t('servicePoints.codeRule') }),
      name: fieldRule(CreateServicePointBody.properties.name, t),
      ticketPrefix: fieldRule(CreateServicePointBody.properties.ticketPrefix, t, {
        trim: false,
        message: t('servicePoints.prefixRule'),
      }),
    },
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        save.mutate(
          {
            ...(servicePoint ? { id: servicePoint.id } : {}),
            code: values.code.trim(),
            name: values.name.trim(),
            kind: values.kind,
            ticketPrefix: values.ticketPrefix,
            room: values.room?.trim() ? values.room.trim() : null,
            active: values.active,
          },
          {
            onSuccess: (saved) => {
              notifySuccess(t('servicePoints.saved', { name: saved.name }));
              onDone();
            },
            onError: (err) => {
              if (isApiError(err, 'CODE_TAKEN')) form.setFieldError('code', t('servicePoints.codeTaken'));
              else handleFormError(form, err, t);
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <TextInput label={t('servicePoints.fields.name')} required data-autofocus {...form.getInputProps('name')} />
        <Group grow align="flex-start">
          <TextInput
            label={t('servicePoints.fields.code')}
            description={t('servicePoints.codeHelp')}
            required
            {...form.getInputProps('code')}
          />
          <TextInput
            label={t('servicePoints.fields.ticketPrefix')}
            description={t('servicePoints.prefixHelp')}
            required
            maxLength={3}
            {...form.getInputProps('ticketPrefix')}
            onChange={(e) => form.setFieldValue('ticketPrefix', e.currentTarget.value.toUpperCase())}
          />
        </Group>
        <Select
          label={t('servicePoints.fields.kind')}
          data={SERVICE_POINT_KINDS.map((k) => ({ value: k, label: t(`servicePoints.kinds.${k}`) }))}
          allowDeselect={false}
          {...form.getInputProps('kind')}
        />
        <TextInput
          label={t('servicePoints.fields.room')}
          description={t('servicePoints.roomHelp')}
          {...form.getInputProps('room')}
          value={form.values.room ?? ''}
        />
        <Switch label={t('servicePoints.fields.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone}>
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
