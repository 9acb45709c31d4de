import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { usePatientNotes } from '../api/notes.ts';

/** The chart's notes tab: the patient's consultation notes, newest first; each opens its consultation. */
export function NotesSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('notes');
  const f = useFormatters();
  const notes = usePatientNotes(patient.id);
  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('list.title')}
      </Title>
      {notes.isLoading ? (
        <Skeleton h={120} />
      ) : notes.error ? (
        <QueryError error={notes.error} onRetry={notes.refetch} />
      ) : notes.rows.length === 0 ? (
        <EmptyState title={t('list.empty')} description={t('list.emptyText')} />
      ) : (
        <Paper withBorder radius="md">
          <Table striped highlightOnHover data-testid="notes-table">
            <caption>
              <VisuallyHidden>{t('list.caption')}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.date')}</Table.Th>
                <Table.Th>{t('list.status')}</Table.Th>
                <Table.Th>{t('list.diagnoses')}</Table.Th>
                <Table.Th>{t('list.author')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('list.open')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notes.rows.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>{f.dateTime(n.encounterStartedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light" color={n.status === 'signed' ? 'green' : 'gray'}>
                        {t(`status.${n.status}`)}
                      </Badge>
                      {n.addenda > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('list.addenda', { count: n.addenda })}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      {n.diagnoses.map((d) => (
                        <Text key={d.code} size="sm" fw={d.rank === 'primary' ? 600 : 400}>
                          <Text span ff="monospace" size="sm">
                            {d.code}
                          </Text>{' '}
                          {d.description}
                        </Text>
                      ))}
                      {n.excerpt && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {n.excerpt}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{n.author.name}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/encounters/${n.encounterId}`} size="sm">
                      {t('list.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {notes.hasMore && (
        <Button variant="default" onClick={notes.loadMore} loading={notes.loadingMore}>
          {t('list.more')}
        </Button>
      )}
    </Stack>
  );
}
