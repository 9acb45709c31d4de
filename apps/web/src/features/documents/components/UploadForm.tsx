import { useState } from 'react';
import { Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css';
import { IconFileUpload, IconUpload, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_DOCUMENT_MAX_BYTES, DOCUMENT_CONTENT_TYPES, type DocumentCategory } from '@sanita/contracts/documents';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import type { UploadInput } from '../api/documents.ts';
import { formatSize } from './format.ts';

/**
 * Adding a document: a drop zone (or a click to choose), a title (the file's name when empty) and,
 * for staff, a category and whether the patient sees it. The server checks the bytes again: what is
 * not a PDF, JPEG or PNG is refused whatever its name.
 */
export function UploadForm({
  title,
  help,
  categories,
  canShare = false,
  submitLabel,
  doneMessage,
  onUpload,
  pending,
}: {
  title: string;
  help?: string;
  /** null: no category to choose (the portal) */
  categories: readonly DocumentCategory[] | null;
  canShare?: boolean;
  submitLabel: string;
  doneMessage: string;
  onUpload: (input: UploadInput) => Promise<unknown>;
  pending: boolean;
}) {
  const { t, i18n } = useTranslation('documents');
  const locale = i18n.resolvedLanguage ?? 'en';
  const [file, setFile] = useState<File | null>(null);
  const [docTitle, setDocTitle] = useState('');
  const [category, setCategory] = useState<DocumentCategory | null>(
    categories?.includes('other') ? 'other' : (categories?.[0] ?? null),
  );
  const [shared, setShared] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const maxSize = formatSize(DEFAULT_DOCUMENT_MAX_BYTES, t, locale);

  const reject = (_rejections: FileRejection[]) => {
    setFile(null);
    setProblem(t('upload.rejected', { size: maxSize }));
  };
  const submit = async () => {
    if (!file) return;
    setProblem(null);
    try {
      await onUpload({
        file,
        title: docTitle,
        ...(categories && category ? { category } : {}),
        ...(canShare ? { sharedWithPatient: shared } : {}),
      });
      notifySuccess(doneMessage);
      setFile(null);
      setDocTitle('');
      setShared(false);
    } catch (err) {
      setProblem(errorMessage(err, t));
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {help && (
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        )}
        <Dropzone
          onDrop={(files) => {
            setProblem(null);
            setFile(files[0] ?? null);
          }}
          onReject={reject}
          maxSize={DEFAULT_DOCUMENT_MAX_BYTES}
          maxFiles={1}
          multiple={false}
          accept={[...DOCUMENT_CONTENT_TYPES]}
          inputProps={{ 'aria-label': t('upload.dropLabel') }}
          data-testid="document-dropzone"
        >
          <Group justify="center" gap="md" mih={90} style={{ pointerEvents: 'none' }}>
            <Dropzone.Accept>
              <IconUpload size={36} stroke={1.5} />
            </Dropzone.Accept>
            <Dropzone.Reject>
              <IconX size={36} stroke={1.5} />
            </Dropzone.Reject>
            <Dropzone.Idle>
              <IconFileUpload size={36} stroke={1.5} />
            </Dropzone.Idle>
            <div>
              <Text size="md">{t('upload.drop')}</Text>
              <Text size="sm" c="dimmed">
                {t('upload.accepted', { size: maxSize })}
              </Text>
            </div>
          </Group>
        </Dropzone>
        {file && (
          <Text size="sm" data-testid="document-chosen">
            {t('upload.chosen', { name: file.name, size: formatSize(file.size, t, locale) })}
          </Text>
        )}
        {problem && (
          <Text size="sm" c="red" role="alert">
            {problem}
          </Text>
        )}
        <Group grow align="flex-end">
          <TextInput
            label={t('upload.titleField')}
            placeholder={t('upload.titlePlaceholder')}
            maxLength={200}
            value={docTitle}
            onChange={(e) => setDocTitle(e.currentTarget.value)}
          />
          {categories && (
            <Select
              label={t('upload.category')}
              data={categories.map((c) => ({ value: c, label: t(`documents.categories.${c}`) }))}
              value={category}
              onChange={(v) => setCategory(v as DocumentCategory | null)}
              allowDeselect={false}
            />
          )}
        </Group>
        {canShare && (
          <Checkbox label={t('upload.sharedWithPatient')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
        )}
        <Group justify="flex-end">
          <Button onClick={() => void submit()} disabled={!file} loading={pending} leftSection={<IconUpload size={16} />}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
