import { Stack, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_CATEGORIES, FRONT_DESK_CATEGORIES } from '@sanita/contracts/documents';
import type { ChartPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useDocument, usePatientDocuments, useUpdateDocument, useUploadDocument } from '../api/documents.ts';
import { DocumentPreview } from '../components/DocumentPreview.tsx';
import { DocumentsTable } from '../components/DocumentsTable.tsx';
import { UploadForm } from '../components/UploadForm.tsx';

/**
 * The chart's documents tab (and the front desk's documents page): add a document, then the
 * patient's documents, newest first, to preview, download, share or mark entered in error. `?preview=<id>`
 * opens that document's preview (the timeline's documents link there).
 */
export function DocumentsSection({ patient, heading }: ChartPartProps & { heading?: string }) {
  const { t } = useTranslation('documents');
  const { can } = useAuth();
  const docs = usePatientDocuments(patient.id);
  const upload = useUploadDocument(patient.id);
  const update = useUpdateDocument(patient.id);
  const [params, setParams] = useSearchParams();
  const linked = useDocument(params.get('preview'));
  const canWrite = can('documents:write');
  const frontDesk = !canWrite && can('documents:front_desk');
  const categories = canWrite
    ? DOCUMENT_CATEGORIES.filter((c) => c !== 'patient_provided')
    : frontDesk
      ? FRONT_DESK_CATEGORIES
      : null;
  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {heading ?? t('documents.title')}
      </Title>
      {categories && patient.status === 'active' && (
        <UploadForm
          title={t('upload.title')}
          help={frontDesk ? t('upload.frontDeskHint') : undefined}
          categories={categories}
          canShare={canWrite}
          submitLabel={t('upload.submit')}
          doneMessage={t('upload.done')}
          onUpload={(input) => upload.mutateAsync(input)}
          pending={upload.isPending}
        />
      )}
      {docs.error ? (
        <QueryError error={docs.error} onRetry={docs.refetch} />
      ) : (
        <DocumentsTable
          rows={docs.rows}
          loading={docs.isLoading}
          caption={t('documents.listCaption')}
          canManage={canWrite}
          onUpdate={(id, body) => update.mutateAsync({ id, body })}
          hasMore={docs.hasMore}
          loadingMore={docs.loadingMore}
          onLoadMore={docs.loadMore}
          empty={{ title: t('documents.emptyTitle'), description: t('documents.empty') }}
        />
      )}
      {linked.error && <QueryError error={linked.error} onRetry={() => void linked.refetch()} />}
      <DocumentPreview
        doc={linked.data?.patientId === patient.id ? linked.data : null}
        onClose={() =>
          setParams(
            (p) => {
              const next = new URLSearchParams(p);
              next.delete('preview');
              return next;
            },
            { replace: true },
          )
        }
      />
    </Stack>
  );
}
