import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconDots, IconDownload, IconEye, IconFileText, IconShare, IconShareOff } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { downloadDocument, type PatientDocument } from '../api/documents.ts';
import { DocumentPreview } from './DocumentPreview.tsx';
import { formatSize } from './format.ts';

/**
 * Documents as a table: title (a button that previews it), category, date, who added it, size, and
 * the actions: preview, download and, for those who file documents, share or mark entered in error.
 */
export function DocumentsTable({
  rows,
  loading,
  caption,
  portal = false,
  canManage = false,
  onUpdate,
  hasMore,
  loadingMore,
  onLoadMore,
  empty,
}: {
  rows: PatientDocument[];
  loading: boolean;
  caption: string;
  portal?: boolean;
  canManage?: boolean;
  onUpdate?: (
    id: string,
    body: { status?: 'entered_in_error'; reason?: string; sharedWithPatient?: boolean },
  ) => Promise<unknown>;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  empty: { title: string; description: string };
}) {
  const { t, i18n } = useTranslation('documents');
  const locale = i18n.resolvedLanguage ?? 'en';
  const f = useFormatters();
  const api = useApi();
  const [preview, setPreview] = useState<PatientDocument | null>(null);
  const [marking, setMarking] = useState<PatientDocument | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const download = (doc: PatientDocument) => void downloadDocument(api, doc, portal).catch((err: unknown) => notifyError(err, t));
  const update = async (doc: PatientDocument, body: Parameters<NonNullable<typeof onUpdate>>[1], done: string) => {
    if (!onUpdate) return;
    setBusy(true);
    try {
      await onUpdate(doc.id, body);
      notifySuccess(done);
      setMarking(null);
      setReason('');
    } catch (err) {
      notifyError(err, t);
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnDef<PatientDocument>[] = [
    {
      id: 'title',
      header: t('documents.columns.title'),
      cell: ({ row }) => {
        const d = row.original;
        const eie = d.status === 'entered_in_error';
        return (
          <Stack gap={2} align="flex-start">
            <Button
              variant="subtle"
              size="compact-sm"
              px={0}
              leftSection={<IconFileText size={16} aria-hidden />}
              onClick={() => setPreview(d)}
              td={eie ? 'line-through' : undefined}
              styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
            >
              {d.title}
            </Button>
            <Group gap={4}>
              {eie && (
                <Badge color="red.9" variant="filled" size="xs">
                  {t('documents.enteredInError')}
                </Badge>
              )}
              {!portal && d.sharedWithPatient && !eie && (
                <Badge color="teal.9" variant="filled" size="xs">
                  {t('documents.shared')}
                </Badge>
              )}
              {!portal && d.source === 'portal' && (
                <Badge color="grape.9" variant="filled" size="xs">
                  {t('documents.fromPortal')}
                </Badge>
              )}
            </Group>
          </Stack>
        );
      },
    },
    {
      id: 'category',
      header: t('documents.columns.category'),
      cell: ({ row }) => <Text size="sm">{t(`documents.categories.${row.original.category}`)}</Text>,
    },
    {
      id: 'date',
      header: t('documents.columns.date'),
      cell: ({ row }) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {f.dateTime(row.original.uploadedAt)}
        </Text>
      ),
    },
    {
      id: 'by',
      header: t('documents.columns.by'),
      cell: ({ row }) => <Text size="sm">{row.original.uploadedBy.name}</Text>,
    },
    {
      id: 'size',
      header: t('documents.columns.size'),
      meta: { align: 'right' },
      cell: ({ row }) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatSize(row.original.sizeBytes, t, locale)}
        </Text>
      ),
    },
    {
      id: 'actions',
      header: t('documents.columns.actions'),
      meta: { align: 'right' },
      cell: ({ row }) => {
        const d = row.original;
        const eie = d.status === 'entered_in_error';
        return (
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <ActionIcon variant="subtle" aria-label={`${t('documents.preview')}: ${d.title}`} onClick={() => setPreview(d)}>
              <IconEye size={18} />
            </ActionIcon>
            <ActionIcon variant="subtle" aria-label={`${t('documents.download')}: ${d.title}`} onClick={() => download(d)}>
              <IconDownload size={18} />
            </ActionIcon>
            {canManage && !eie && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="subtle" aria-label={t('documents.actionsFor', { title: d.title })}>
                    <IconDots size={18} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {d.sharedWithPatient ? (
                    <Menu.Item
                      leftSection={<IconShareOff size={16} />}
                      onClick={() => void update(d, { sharedWithPatient: false }, t('documents.unsharedDone'))}
                    >
                      {t('documents.unshare')}
                    </Menu.Item>
                  ) : (
                    <Menu.Item
                      leftSection={<IconShare size={16} />}
                      onClick={() => void update(d, { sharedWithPatient: true }, t('documents.sharedDone'))}
                    >
                      {t('documents.share')}
                    </Menu.Item>
                  )}
                  <Menu.Item color="red" leftSection={<IconAlertTriangle size={16} />} onClick={() => setMarking(d)}>
                    {t('documents.markError')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        );
      },
    },
  ];

  return (
    <>
      <DataTable
        caption={caption}
        columns={columns}
        data={rows}
        getRowId={(d) => d.id}
        loading={loading}
        hasMore={hasMore}
        loadingMore={loadingMore}
        onLoadMore={onLoadMore}
        minWidth={720}
        testId="documents-table"
        empty={<EmptyState icon={<IconFileText size={28} />} title={empty.title} description={empty.description} compact />}
      />
      <DocumentPreview doc={preview} portal={portal} onClose={() => setPreview(null)} />
      <Modal
        opened={marking !== null}
        onClose={() => setMarking(null)}
        title={marking ? t('documents.markErrorTitle', { title: marking.title }) : ''}
        closeButtonProps={{ 'aria-label': t('documents.close') }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('documents.markErrorHelp')}</Text>
          <TextInput
            label={t('documents.reason')}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setMarking(null)}>
              {t('documents.cancel')}
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={() =>
                marking &&
                void update(
                  marking,
                  { status: 'entered_in_error', ...(reason.trim() ? { reason: reason.trim() } : {}) },
                  t('documents.marked'),
                )
              }
            >
              {t('documents.confirmMark')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
