import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useClaim,
  useClaimNote,
  useClaimPaid,
  useDecideClaim,
  useResubmitClaim,
  useReviewClaim,
  useSubmitClaim,
  type AnomalyReason,
  type Claim,
} from '../api/claims.ts';
import { AttachmentsPanel } from '../components/AttachmentsPanel.tsx';
import { ClaimStatusBadge, ScoreBadge } from '../components/Badges.tsx';
import { amountScale, amountText, ownLineReason } from '../lib/claims.ts';

/** One claim: patient, coverage, diagnoses, lines, attachments, the anomaly reasons in words, notes, the ledger events; its actions. */
export function ClaimPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('claims');
  const claim = useClaim(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/claims" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('claim.back')}
        </Group>
      </Anchor>
      {claim.isError ? (
        <QueryError error={claim.error} onRetry={() => void claim.refetch()} />
      ) : !claim.data ? (
        <Skeleton h={300} />
      ) : (
        <Detail c={claim.data} />
      )}
    </Stack>
  );
}

export function ReasonText({ r }: { r: AnomalyReason }) {
  const { t } = useTranslation('claims');
  const d = Object.fromEntries(Object.entries(r.details).map(([k, v]) => [k, v ?? '—']));
  const key = r.code === 'amount_outlier' && r.details.z === null ? 'amount_outlier_flat' : r.code;
  return (
    <Text size="sm">
      {t(`reasons.${key}`, d)}{' '}
      <Text span c="dimmed" size="xs">
        {t('reasons.weight', { weight: r.weight })}
      </Text>
    </Text>
  );
}

function Detail({ c }: { c: Claim }) {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  const { can } = useAuth();
  const submit = useSubmitClaim();
  const review = useReviewClaim();
  const resubmit = useResubmitClaim();
  const note = useClaimNote();
  const paid = useClaimPaid();
  const [decision, setDecision] = useState<null | 'approved' | 'partially_approved' | 'denied'>(null);
  const [noteText, setNoteText] = useState('');
  const [paying, setPaying] = useState(false);
  const done = (x: Claim) => notifySuccess(t('actions.done', { number: x.number, status: t(`status.${x.status}`) }));
  const onError = (err: unknown) => notifyError(err, t);
  const isReviewer = can('claims:review');
  const isWriter = can('claims:write');
  // a line refused without its own reason carries the decision note: that note is shown once, with the notes
  const payerNotes = c.notes.filter((n) => n.fromPayer).map((n) => n.text);
  const lineReasons = new Map(c.lines.map((l) => [l.id, ownLineReason(l.denialReason, payerNotes)]));
  const anyReason = [...lineReasons.values()].some((r) => r !== null);

  return (
    <Stack gap="md">
      <PageHeader
        title={
          <Group gap="sm">
            <span>{t('claim.title', { number: c.number })}</span>
            <ClaimStatusBadge status={c.status} />
            <ScoreBadge score={c.anomalyScore} />
          </Group>
        }
        description={`${c.payer.name} · ${c.clinicName}`}
      />
      <Group gap="sm">
        {isWriter && c.status === 'draft' && (
          <Button
            loading={submit.isPending}
            onClick={() => submit.mutate({ id: c.id, version: c.version }, { onSuccess: done, onError })}
          >
            {t('actions.submit')}
          </Button>
        )}
        {isReviewer && c.status === 'submitted' && (
          <Button
            loading={review.isPending}
            onClick={() => review.mutate({ id: c.id, version: c.version }, { onSuccess: done, onError })}
          >
            {t('actions.review')}
          </Button>
        )}
        {isReviewer && c.status === 'in_review' && (
          <>
            <Button color="green" onClick={() => setDecision('approved')}>
              {t('actions.approve')}
            </Button>
            <Button color="yellow" autoContrast onClick={() => setDecision('partially_approved')}>
              {t('actions.partial')}
            </Button>
            <Button color="red" onClick={() => setDecision('denied')}>
              {t('actions.deny')}
            </Button>
          </>
        )}
        {isWriter && (c.status === 'approved' || c.status === 'partially_approved') && (
          <Button color="teal" autoContrast onClick={() => setPaying(true)}>
            {t('actions.paid')}
          </Button>
        )}
        {isWriter && (c.status === 'denied' || c.status === 'partially_approved') && !c.resubmittedAs && (
          <Button
            variant="default"
            loading={resubmit.isPending}
            onClick={() => resubmit.mutate({ id: c.id, version: c.version }, { onSuccess: done, onError })}
          >
            {t('actions.resubmit')}
          </Button>
        )}
      </Group>
      {(c.resubmissionOf || c.resubmittedAs) && (
        <Group gap="md">
          {c.resubmissionOf && (
            <Anchor component={Link} to={`/claims/${c.resubmissionOf}`} size="sm">
              {t('claim.resubmissionOf')}
            </Anchor>
          )}
          {c.resubmittedAs && (
            <Anchor component={Link} to={`/claims/${c.resubmittedAs}`} size="sm">
              {t('claim.resubmittedAs')}
            </Anchor>
          )}
        </Group>
      )}

      {c.anomalyReasons.length > 0 ? (
        <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('claim.reasons')}>
          <Stack gap={4}>
            {c.anomalyReasons.map((r, i) => (
              <ReasonText key={i} r={r} />
            ))}
          </Stack>
        </Alert>
      ) : (
        c.anomalyScore !== null && <Text size="sm">{t('claim.noReasons')}</Text>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="sm">
          <Stack gap={4}>
            <Text size="sm">
              <b>{t('claim.patient')}:</b> {c.patient.name} ({c.patient.mrn})
            </Text>
            <Text size="sm">
              <b>{t('claim.coverage')}:</b>{' '}
              {t('claim.member', {
                id: c.coverage.memberId,
                relationship: t(`coverage.relationships.${c.coverage.relationship}`),
              })}
            </Text>
            <Text size="sm">
              <b>{t('claim.plan')}:</b> {c.plan.name}
            </Text>
            <Text size="sm">
              <b>{t('claim.invoice')}:</b> {c.invoiceNumber ?? '—'}
            </Text>
            <Text size="sm">
              <b>{t('claim.practitioner')}:</b> {c.practitioner?.name ?? '—'}
            </Text>
          </Stack>
        </Paper>
        <Paper withBorder p="sm">
          <Title order={2} size="h5" mb={4}>
            {t('claim.diagnoses')}
          </Title>
          {c.diagnoses.length ? (
            c.diagnoses.map((d) => (
              <Text size="sm" key={d.code}>
                <Code>{d.code}</Code> {d.description}
              </Text>
            ))
          ) : (
            <Text size="sm" c="dimmed">
              {t('claim.noDiagnoses')}
            </Text>
          )}
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="sm">
        <Title order={2} size="h5" mb="xs">
          {t('claim.lines')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('claim.date')}</Table.Th>
              <Table.Th>{t('claim.service')}</Table.Th>
              <Table.Th>{t('claim.code')}</Table.Th>
              <Table.Th ta="right">{t('claim.quantity')}</Table.Th>
              <Table.Th ta="right">{t('claim.claimed')}</Table.Th>
              <Table.Th ta="right">{t('claim.approved')}</Table.Th>
              {anyReason && <Table.Th>{t('claim.denialReason')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.lines.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{f.date(l.serviceDate)}</Table.Td>
                <Table.Td>{l.description}</Table.Td>
                <Table.Td>
                  <Code>{l.code}</Code> {l.procedureCode && <Code>{l.procedureCode}</Code>}
                </Table.Td>
                <Table.Td ta="right">{Number(l.quantity)}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {l.claimed}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {l.approved ?? '—'}
                </Table.Td>
                {anyReason && <Table.Td>{lineReasons.get(l.id) ?? ''}</Table.Td>}
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td colSpan={4}>
                <b>{t('claim.total')}</b>
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                <b>
                  {c.claimed} {c.currency}
                </b>
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                <b>{c.approved ?? '—'}</b>
              </Table.Td>
              {anyReason && <Table.Td />}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <AttachmentsPanel c={c} />
        <Paper withBorder p="sm">
          <Title order={2} size="h5" mb="xs">
            {t('claim.notes')}
          </Title>
          <Stack gap={6}>
            {c.notes.length ? (
              c.notes.map((n) => (
                <Text size="sm" key={n.id}>
                  <Text span fw={600}>
                    {n.author.name} ({n.fromPayer ? t('claim.fromPayer') : t('claim.fromClinic')}), {f.dateTime(n.at)}:
                  </Text>{' '}
                  {n.text}
                </Text>
              ))
            ) : (
              <Text size="sm" c="dimmed">
                {t('claim.noNotes')}
              </Text>
            )}
            {(isReviewer || isWriter) && (
              <Group align="flex-end" gap="xs">
                <Textarea
                  label={t('claim.addNote')}
                  value={noteText}
                  onChange={(e) => setNoteText(e.currentTarget.value)}
                  autosize
                  minRows={1}
                  style={{ flex: 1 }}
                />
                <Button
                  variant="default"
                  disabled={!noteText.trim()}
                  loading={note.isPending}
                  onClick={() =>
                    note.mutate(
                      { id: c.id, text: noteText.trim() },
                      {
                        onSuccess: () => {
                          setNoteText('');
                          notifySuccess(t('claim.noteSaved'));
                        },
                        onError,
                      },
                    )
                  }
                >
                  {t('claim.addNote')}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="sm">
        <Title order={2} size="h5" mb="xs">
          {t('claim.events')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('claim.seq')}</Table.Th>
              <Table.Th>{t('claim.event')}</Table.Th>
              <Table.Th>{t('claim.at')}</Table.Th>
              <Table.Th>{t('claim.by')}</Table.Th>
              <Table.Th>{t('claim.hash')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.events.map((e) => (
              <Table.Tr key={e.seq}>
                <Table.Td>{e.seq}</Table.Td>
                <Table.Td>{t(`events.${e.type}`, { defaultValue: e.type })}</Table.Td>
                <Table.Td>{f.dateTime(e.at)}</Table.Td>
                <Table.Td>{e.actor?.name ?? '—'}</Table.Td>
                <Table.Td>
                  <Code title={e.hash}>{e.hash.slice(0, 16)}…</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      {decision && <DecisionModal c={c} decision={decision} onClose={() => setDecision(null)} />}
      <PaidModal c={c} opened={paying} onClose={() => setPaying(false)} pay={paid} />
    </Stack>
  );
}

function DecisionModal({
  c,
  decision,
  onClose,
}: {
  c: Claim;
  decision: 'approved' | 'partially_approved' | 'denied';
  onClose: () => void;
}) {
  const { t } = useTranslation('claims');
  const decide = useDecideClaim();
  const [amounts, setAmounts] = useState<Record<string, number | string>>(() =>
    Object.fromEntries(c.lines.map((l) => [l.id, Number(l.claimed)])),
  );
  const [note, setNote] = useState('');
  const needsNote = decision !== 'approved';
  const scale = amountScale(c.currency);
  const confirm = () =>
    decide.mutate(
      {
        id: c.id,
        body: {
          decision,
          version: c.version,
          note: note.trim() || null,
          ...(decision === 'partially_approved'
            ? {
                lines: c.lines.map((l) => ({ lineId: l.id, approved: amountText(amounts[l.id] ?? 0, c.currency) ?? '0' })),
              }
            : {}),
        },
      },
      {
        onSuccess: (x) => {
          notifySuccess(t('actions.done', { number: x.number, status: t(`status.${x.status}`) }));
          onClose();
        },
        onError: (err) => notifyError(err, t),
      },
    );
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={`${t('actions.decisionTitle')}: ${t(`status.${decision}`)}`}
      size="lg"
    >
      <Stack gap="sm">
        {decision === 'partially_approved' &&
          c.lines.map((l) => (
            <NumberInput
              key={l.id}
              label={`${l.description} (${t('claim.claimed')} ${l.claimed})`}
              min={0}
              max={Number(l.claimed)}
              decimalScale={scale}
              allowDecimal={scale > 0}
              allowNegative={false}
              rightSection={<Text size="xs">{c.currency}</Text>}
              rightSectionWidth={48}
              value={amounts[l.id]}
              onChange={(v) => setAmounts((a) => ({ ...a, [l.id]: v }))}
            />
          ))}
        <Textarea
          label={t('actions.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          required={needsNote}
          error={needsNote && !note.trim() ? t('actions.noteRequired') : undefined}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button onClick={confirm} loading={decide.isPending} disabled={needsNote && !note.trim()}>
            {t('actions.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PaidModal({
  c,
  opened,
  onClose,
  pay,
}: {
  c: Claim;
  opened: boolean;
  onClose: () => void;
  pay: ReturnType<typeof useClaimPaid>;
}) {
  const { t } = useTranslation('claims');
  const [amount, setAmount] = useState<number | string>(Number(c.approved ?? 0));
  const [reference, setReference] = useState('');
  const scale = amountScale(c.currency);
  const sent = amountText(amount, c.currency);
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={onClose} title={t('actions.paid')}>
      <Stack gap="sm">
        <NumberInput
          label={t('actions.amount')}
          min={0}
          decimalScale={scale}
          allowDecimal={scale > 0}
          allowNegative={false}
          rightSection={<Text size="xs">{c.currency}</Text>}
          rightSectionWidth={48}
          value={amount}
          onChange={setAmount}
          error={sent === null ? t('actions.amountRequired') : undefined}
        />
        <TextInput label={t('actions.reference')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button
            loading={pay.isPending}
            disabled={sent === null}
            onClick={() =>
              pay.mutate(
                { id: c.id, amount: sent ?? '0', reference: reference.trim() || null, version: c.version },
                {
                  onSuccess: (x) => {
                    notifySuccess(t('actions.done', { number: x.number, status: t(`status.${x.status}`) }));
                    onClose();
                  },
                  onError: (err) => notifyError(err, t),
                },
              )
            }
          >
            {t('actions.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
