import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { usePortalDocuments, usePortalUpload } from '../api/documents.ts';
import { DocumentsTable } from '../components/DocumentsTable.tsx';
import { UploadForm } from '../components/UploadForm.tsx';

/** The portal's "My documents": send a document to my clinic; what I sent and what was shared with me. */
export function PortalDocumentsPage() {
  const { t } = useTranslation('documents');
  const docs = usePortalDocuments();
  const upload = usePortalUpload();
  return (
    <Stack gap="md">
      <PageHeader title={t('portal.title')} description={t('portal.intro')} />
      <UploadForm
        title={t('portal.send')}
        help={t('portal.sendHelp')}
        categories={null}
        submitLabel={t('portal.send')}
        doneMessage={t('portal.sent')}
        onUpload={({ file, title }) => upload.mutateAsync({ file, title })}
        pending={upload.isPending}
      />
      {docs.error ? (
        <QueryError error={docs.error} onRetry={() => void docs.refetch()} />
      ) : (
        <DocumentsTable
          rows={docs.data?.data ?? []}
          loading={docs.isPending}
          caption={t('portal.listCaption')}
          portal
          empty={{ title: t('portal.emptyTitle'), description: t('portal.empty') }}
        />
      )}
    </Stack>
  );
}
