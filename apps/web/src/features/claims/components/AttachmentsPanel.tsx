import { useState } from 'react';
import { Button, Group, List, Paper, Select, Text, Title } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useAttachDocument, useAttachableDocuments, type Claim } from '../api/claims.ts';

/**
 * The documents attached to a claim; on a draft, for those who build claims (claims:write), a picker
 * of the patient's current documents not attached yet — listed by the claim's own route, titles and
 * dates only, so that a cashier, who reads no documents, can attach them.
 */
export function AttachmentsPanel({ c }: { c: Claim }) {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  const { can } = useAuth();
  const canAttach = c.status === 'draft' && can('claims:write');
  const documents = useAttachableDocuments(c.id, canAttach);
  const attach = useAttachDocument();
  const [documentId, setDocumentId] = useState<string | null>(null);
  const attached = new Set(c.attachments.map((a) => a.documentId));
  const choices = (documents.data?.data ?? []).filter((d) => !d.attached && !attached.has(d.id));

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="claim-attachments">
      <Title order={2} size="h5" mb="xs" id="claim-attachments">
        {t('claim.attachments')}
      </Title>
      {c.attachments.length ? (
        <List size="sm" spacing={2} icon={<IconPaperclip size={14} aria-hidden />} data-testid="claim-attachments">
          {c.attachments.map((a) => (
            <List.Item key={a.documentId}>{a.title}</List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          {t('claim.noAttachments')}
        </Text>
      )}
      {canAttach && (
        <Group
          component="form"
          align="flex-end"
          gap="xs"
          mt="sm"
          onSubmit={(e) => {
            e.preventDefault();
            if (!documentId) return;
            attach.mutate(
              { id: c.id, documentId, version: c.version },
              {
                onSuccess: () => {
                  setDocumentId(null);
                  notifySuccess(t('attach.done'));
                },
                onError: (err) => notifyError(err, t),
              },
            );
          }}
        >
          <Select
            label={t('attach.label')}
            placeholder={documents.isPending ? t('attach.loading') : choices.length ? t('attach.placeholder') : t('attach.none')}
            data={choices.map((d) => ({
              value: d.id,
              label: `${d.title} · ${t(`attach.categories.${d.category}`)} · ${f.date(d.uploadedAt)}`,
            }))}
            value={documentId}
            onChange={setDocumentId}
            searchable
            clearable
            disabled={!choices.length}
            error={documents.isError ? t('attach.loadError') : undefined}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit" variant="default" loading={attach.isPending} disabled={!documentId}>
            {t('attach.submit')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
