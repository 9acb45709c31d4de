import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SOAP } from '@sanita/contracts/notes';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useNoteHistory, type Revision } from '../api/notes.ts';
import { diffWords } from '../lib/diff.ts';

/** The text of a draft or signed version, section by section, to compare with the one before. */
function textOf(r: Revision, t: (k: string) => string): string {
  if (!r.sections) return '';
  const parts = SOAP.map((k) => `${t(`sections.${k}`)}: ${r.sections![k]}`);
  if (r.diagnoses?.length)
    parts.push(`${t('diagnoses.title')}: ${r.diagnoses.map((d) => `${d.code} ${d.description}`).join('; ')}`);
  if (r.patientSummary) parts.push(`${t('sections.patientSummary')}: ${r.patientSummary}`);
  return parts.join('\n');
}

/**
 * The note's versions, oldest first: each draft kept while it was written, the signed text, each
 * addendum — who and when, and what changed from the previous version (words added and removed).
 */
export function NoteHistoryView({ encounterId }: { encounterId: string }) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const history = useNoteHistory(encounterId, true);
  if (history.isPending) return <Skeleton h={80} />;
  if (history.isError) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  const revisions = history.data.data;
  let previous = '';
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-title" data-testid="note-history">
      <Title order={3} size="h5" id="history-title">
        {t('history.title')}
      </Title>
      {revisions.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('history.empty')}
        </Text>
      )}
      {revisions.map((r, i) => {
        let body;
        if (r.kind === 'addendum') {
          body = (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {r.text}
            </Text>
          );
        } else {
          const text = textOf(r, t);
          const parts = diffWords(previous, text);
          const first = i === 0 || previous === '';
          previous = text;
          body = (
            <>
              <Text size="xs" c="dimmed">
                {first
                  ? t('history.first')
                  : parts.every((p) => p.kind === 'same')
                    ? t('history.noChange')
                    : t('history.changes')}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {first
                  ? text
                  : parts.map((p, j) =>
                      p.kind === 'same' ? (
                        <span key={j}>{p.text}</span>
                      ) : p.kind === 'added' ? (
                        <ins
                          key={j}
                          title={t('history.added')}
                          style={{ background: 'var(--mantine-color-green-light)', textDecoration: 'underline' }}
                        >
                          {p.text}
                        </ins>
                      ) : (
                        <del key={j} title={t('history.removed')} style={{ background: 'var(--mantine-color-red-light)' }}>
                          {p.text}
                        </del>
                      ),
                    )}
              </Text>
            </>
          );
        }
        return (
          <Paper key={r.id} withBorder p="xs" data-testid={`revision-${r.kind}`}>
            <Group gap="xs" mb={4}>
              <Badge size="sm" variant="light" color={r.kind === 'signed' ? 'green' : r.kind === 'addendum' ? 'blue' : 'gray'}>
                {t(`history.kinds.${r.kind}`)}
              </Badge>
              <Text size="xs" c="dimmed">
                {t('history.by', { name: r.by.name, at: f.dateTime(r.at) })}
              </Text>
            </Group>
            {body}
          </Paper>
        );
      })}
    </Stack>
  );
}
