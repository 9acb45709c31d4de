import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconBan, IconDownload, IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { printedCode, useLetters, useOpenLetter, useRevokeLetter, type Letter } from '../api/letters.ts';
import { NewLetterButton } from '../components/NewLetterButton.tsx';

/** What a letter says in one line: the sick note's days, the referral's recipient, the visit summarised, the certificate's purpose. */
function useGist() {
  const { t } = useTranslation('letters');
  const f = useFormatters();
  return (l: Letter) =>
    l.kind === 'sick_note'
      ? t('gist.sickNote', { from: f.date(l.restFrom), to: f.date(l.restTo) })
      : l.kind === 'referral'
        ? t('gist.referral', { recipient: l.recipient })
        : l.kind === 'visit_summary' && l.visit
          ? t('gist.visit', { date: f.dateTime(l.visit.startedAt) })
          : (l.reason ?? l.body ?? '');
}

/** The chart's letters tab: what was issued here for this patient, each opened as its PDF; a new letter. */
export function LettersSection({ patient }: ChartPartProps) {
  const { t } = useTranslation('letters');
  const f = useFormatters();
  const { can } = useAuth();
  const letters = useLetters(patient.id);
  const open = useOpenLetter();
  const gist = useGist();
  const [revoking, setRevoking] = useState<Letter | null>(null);
  const openPdf = (l: Letter, download = false) => void open(l, download).catch((err: unknown) => notifyError(err, t));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h2">
          {t('title')}
        </Title>
        {can('letters:write') && patient.status === 'active' && <NewLetterButton patientId={patient.id} variant="filled" />}
      </Group>
      {letters.isPending ? (
        <Skeleton h={120} />
      ) : letters.isError ? (
        <QueryError error={letters.error} onRetry={() => void letters.refetch()} />
      ) : letters.data.data.length === 0 ? (
        <EmptyState title={t('emptyTitle')} description={t('empty')} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="letters-table">
            <Table.Caption>{t('caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('columns.issued')}</Table.Th>
                <Table.Th>{t('columns.kind')}</Table.Th>
                <Table.Th>{t('columns.gist')}</Table.Th>
                <Table.Th>{t('columns.code')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {letters.data.data.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <Text size="sm">{f.dateTime(l.issuedAt)}</Text>
                    <Text size="xs" c="dimmed">
                      {l.issuedBy.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm">{t(`kinds.${l.kind}`)}</Text>
                      {l.revokedAt && (
                        <Tooltip label={l.revokedReason ?? ''} disabled={!l.revokedReason}>
                          <Badge color="red" variant="light" size="sm">
                            {t('revoked')}
                          </Badge>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2} maw={320}>
                      {gist(l)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {printedCode(l.verificationCode)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconFileTypePdf size={14} aria-hidden />}
                        onClick={() => openPdf(l)}
                      >
                        {t('open')}
                      </Button>
                      <Tooltip label={t('download')}>
                        <ActionIcon variant="subtle" aria-label={t('download')} onClick={() => openPdf(l, true)}>
                          <IconDownload size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      {can('letters:write') && !l.revokedAt && (
                        <Tooltip label={t('revoke')}>
                          <ActionIcon variant="subtle" color="red" aria-label={t('revoke')} onClick={() => setRevoking(l)}>
                            <IconBan size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <RevokeModal patientId={patient.id} letter={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}

function RevokeModal({ patientId, letter, onClose }: { patientId: string; letter: Letter | null; onClose: () => void }) {
  const { t } = useTranslation('letters');
  const revoke = useRevokeLetter(patientId);
  const [reason, setReason] = useState('');
  return (
    <Modal opened={!!letter} onClose={onClose} title={t('revokeTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!letter || !reason.trim()) return;
          revoke.mutate(
            { id: letter.id, reason: reason.trim() },
            {
              onSuccess: () => {
                notifySuccess(t('revokedDone'));
                setReason('');
                onClose();
              },
              onError: (err) => notifyError(err, t),
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('revokeHelp')}</Text>
          <TextInput
            label={t('revokeReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" color="red" loading={revoke.isPending} disabled={!reason.trim()}>
              {t('revoke')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
