import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Code, CopyButton, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconDeviceTv, IconExternalLink, IconPlus } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { handleFormError, notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useCreateDisplayToken,
  useDisplayTokens,
  useRevokeDisplayToken,
  useServicePoints,
  type CreatedDisplayToken,
  type DisplayToken,
} from '../api/queue.ts';

/** Links that open the waiting-room display on a TV without a staff login; revocable. */
export function DisplayTokensPage() {
  const { t } = useTranslation('queue');
  const f = useFormatters();
  const tokens = useDisplayTokens();
  const servicePoints = useServicePoints();
  const revoke = useRevokeDisplayToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<DisplayToken | null>(null);

  const spName = useMemo(() => new Map((servicePoints.data ?? []).map((sp) => [sp.id, sp.name])), [servicePoints.data]);

  const columns = useMemo<ColumnDef<DisplayToken>[]>(
    () => [
      {
        id: 'name',
        header: t('displayTokens.fields.name'),
        cell: ({ row }) => (
          <Text size="sm" fw={600}>
            {row.original.name}
          </Text>
        ),
      },
      {
        id: 'servicePoints',
        header: t('displayTokens.fields.servicePoints'),
        cell: ({ row }) =>
          row.original.servicePointIds.length === 0
            ? t('displayTokens.allServicePoints')
            : row.original.servicePointIds.map((id) => spName.get(id) ?? '?').join(', '),
      },
      { id: 'created', header: t('displayTokens.fields.created'), cell: ({ row }) => f.dateTime(row.original.createdAt) },
      {
        id: 'lastSeen',
        header: t('displayTokens.fields.lastSeen'),
        cell: ({ row }) => (row.original.lastSeenAt ? f.relative(row.original.lastSeenAt) : t('displayTokens.never')),
      },
      {
        id: 'status',
        header: t('displayTokens.fields.status'),
        cell: ({ row }) => (
          <Badge variant="light" color={row.original.revokedAt ? 'gray' : 'green'}>
            {t(row.original.revokedAt ? 'displayTokens.revoked' : 'displayTokens.active')}
          </Badge>
        ),
        meta: { width: 110 },
      },
      {
        id: 'actions',
        header: t('common.actions'),
        cell: ({ row }) =>
          !row.original.revokedAt && (
            <Button
              size="xs"
              variant="light"
              color="red"
              onClick={() => setRevoking(row.original)}
              aria-label={t('displayTokens.revokeOne', { name: row.original.name })}
            >
              {t('displayTokens.revoke')}
            </Button>
          ),
        meta: { width: 110, align: 'right' },
      },
    ],
    [t, f, spName],
  );

  return (
    <>
      <PageHeader
        title={t('displayTokens.title')}
        description={t('displayTokens.subtitle')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('displayTokens.new')}
          </Button>
        }
      />
      {tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <DataTable
          caption={t('displayTokens.title')}
          columns={columns}
          data={tokens.data ?? []}
          getRowId={(d) => d.id}
          loading={tokens.isPending}
          testId="display-tokens"
          empty={
            <EmptyState
              icon={<IconDeviceTv />}
              title={t('displayTokens.emptyTitle')}
              description={t('displayTokens.empty')}
              action={
                <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
                  {t('displayTokens.new')}
                </Button>
              }
            />
          }
        />
      )}

      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('displayTokens.new')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        size="lg"
        centered
      >
        {creating && <CreateDisplay onDone={() => setCreating(false)} />}
      </Modal>

      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('displayTokens.revokeOne', { name: revoking?.name ?? '' })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        centered
      >
        <Stack gap="md">
          <Text size="sm">{t('displayTokens.revokeConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() =>
                revoking &&
                revoke.mutate(revoking.id, {
                  onSuccess: () => {
                    notifySuccess(t('displayTokens.revokedToast', { name: revoking.name }));
                    setRevoking(null);
                  },
                  onError: (err) => notifyError(err, t),
                })
              }
            >
              {t('displayTokens.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function CreateDisplay({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('queue');
  const servicePoints = useServicePoints();
  const create = useCreateDisplayToken();
  const [created, setCreated] = useState<CreatedDisplayToken | null>(null);
  const form = useForm({
    initialValues: { name: '', servicePointIds: [] as string[] },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  if (created) {
    // The server keeps only a hash: this is the one time the link can be seen.
    // Built on this page's origin: the TV reaches Sanita at the address the admin uses, even when
    // the server's configured public URL differs (a proxy, a LAN address).
    const url = `${window.location.origin}/display?token=${encodeURIComponent(created.token)}`;
    return (
      <Stack gap="md">
        <Alert color="orange" title={t('displayTokens.onceTitle')}>
          {t('displayTokens.once')}
        </Alert>
        <Code block data-testid="display-url" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {url}
        </Code>
        <Group justify="space-between">
          <Group gap="xs">
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'green' : undefined}
                  leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  onClick={copy}
                >
                  {copied ? t('common.copied') : t('displayTokens.copy')}
                </Button>
              )}
            </CopyButton>
            <Button
              component="a"
              href={url}
              target="_blank"
              rel="noopener"
              variant="default"
              leftSection={<IconExternalLink size={16} aria-hidden />}
            >
              {t('displayTokens.open')}
            </Button>
          </Group>
          <Button variant="subtle" onClick={onDone}>
            {t('common.done')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        create.mutate(
          { name: values.name.trim(), servicePointIds: values.servicePointIds },
          {
            onSuccess: (result) => {
              notifySuccess(t('displayTokens.created', { name: result.name }));
              setCreated(result);
            },
            onError: (err) => handleFormError(form, err, t),
          },
        ),
      )}
    >
      <Stack gap="sm">
        <TextInput
          label={t('displayTokens.fields.name')}
          description={t('displayTokens.nameHelp')}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <MultiSelect
          label={t('displayTokens.fields.servicePoints')}
          description={t('displayTokens.servicePointsHelp')}
          data={(servicePoints.data ?? []).filter((sp) => sp.active).map((sp) => ({ value: sp.id, label: sp.name }))}
          searchable
          clearable
          {...form.getInputProps('servicePointIds')}
        />
        <Text size="xs" c="dimmed">
          {t('displayTokens.privacy')}
        </Text>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('displayTokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
