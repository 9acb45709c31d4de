import { useState } from 'react';
import { Anchor, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { usePatientDocuments, type PatientDocument } from '../api/documents.ts';
import { DocumentPreview } from './DocumentPreview.tsx';

/** The summary's documents card: the latest three, each opening its preview. */
export function LatestDocumentsCard({ patient }: ChartPartProps) {
  const { t } = useTranslation('documents');
  const f = useFormatters();
  const docs = usePatientDocuments(patient.id, 3);
  const [preview, setPreview] = useState<PatientDocument | null>(null);
  const latest = docs.rows.slice(0, 3);
  return (
    <ChartCard
      title={t('documents.latest')}
      more={{ to: `/patients/${patient.id}/chart/documents`, label: t('documents.all') }}
      testId="summary-documents"
    >
      {docs.isLoading ? (
        <Skeleton h={48} />
      ) : docs.error ? (
        <QueryError error={docs.error} onRetry={docs.refetch} />
      ) : !latest.length ? (
        <Text size="sm" c="dimmed">
          {t('documents.emptyTitle')}
        </Text>
      ) : (
        <Stack gap={4}>
          {latest.map((d) => (
            <Group key={d.id} justify="space-between" wrap="nowrap" gap="xs">
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => setPreview(d)}
                td={d.status === 'entered_in_error' ? 'line-through' : undefined}
                lineClamp={1}
              >
                {d.title}
              </Anchor>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {t(`documents.categories.${d.category}`)} · {f.dateTime(d.uploadedAt)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      <DocumentPreview doc={preview} onClose={() => setPreview(null)} />
    </ChartCard>
  );
}
