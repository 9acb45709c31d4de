import { useEffect, useState } from 'react';
import { Alert, Button, Center, Group, Image, Loader, Modal, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { errorMessage } from '../../../lib/errors.ts';
import { downloadDocument, fetchContent, type PatientDocument } from '../api/documents.ts';

/**
 * A document shown in the browser: a PDF in a frame, an image as itself. The bytes are fetched with
 * the session's credentials (the read is audited as document.read) and shown from an object URL,
 * released when the preview closes.
 */
export function DocumentPreview({
  doc,
  portal = false,
  onClose,
}: {
  doc: PatientDocument | null;
  portal?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('documents');
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!doc) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    setUrl(null);
    setError(null);
    fetchContent(api, doc, portal, false).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, doc, portal]);

  return (
    <Modal
      opened={doc !== null}
      onClose={onClose}
      size="xl"
      title={doc ? t('documents.previewOf', { title: doc.title }) : ''}
      closeButtonProps={{ 'aria-label': t('documents.close') }}
    >
      {doc && (
        <Stack gap="sm">
          {error ? (
            <Alert color="red" title={t('documents.previewFailed')}>
              {errorMessage(error, t)}
            </Alert>
          ) : !url ? (
            <Center h={300}>
              <Loader aria-label={t('documents.preview')} />
            </Center>
          ) : doc.contentType === 'application/pdf' ? (
            <iframe
              src={url}
              title={t('documents.previewOf', { title: doc.title })}
              style={{ width: '100%', height: '70vh', border: 0 }}
              data-testid="document-preview-pdf"
            />
          ) : (
            <Image src={url} alt={doc.title} fit="contain" mah="70vh" data-testid="document-preview-image" />
          )}
          <Group justify="space-between">
            {doc.contentType === 'application/pdf' ? (
              <Text size="xs" c="dimmed">
                {t('documents.pdfFallback')}
              </Text>
            ) : (
              <span />
            )}
            <Button
              variant="light"
              leftSection={<IconDownload size={16} />}
              onClick={() => void downloadDocument(api, doc, portal).catch((err: unknown) => setError(err))}
            >
              {t('documents.download')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
