import { useMemo, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Radio,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconFileInvoice } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { ApiError } from '../../../lib/api/errors.ts';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useClaimPreview,
  useCoverages,
  useCreateClaim,
  useInvoice,
  usePlan,
  type ClaimCreateInput,
  type ClaimPreview,
  type Coverage,
  type Invoice,
} from '../api/claims.ts';
import { CoverageMemberLine } from '../components/CoveragePanel.tsx';
import { InvoicePicker } from '../components/InvoicePicker.tsx';
import { CLAIMABLE_INVOICE_STATUSES, coveragesOn, earliestServiceDate, formatAmount, lineCover } from '../lib/claims.ts';

/**
 * A new claim from an issued invoice (`/claims/new?invoice=<id>`, linked from the invoice page; without
 * an invoice, an invoice picker): the invoice's lines and which the patient's plan covers, the
 * coverage to claim on (chosen when several are valid), and the server's preview of the claim: the
 * encounter's diagnoses and the amounts it would ask of the payer (read through the claim preview, so
 * that a cashier, who reads no notes, sees them); creates the draft and opens it.
 */
export function NewClaimPage() {
  const { t } = useTranslation('claims');
  const [search, setSearch] = useSearchParams();
  const invoiceId = search.get('invoice');
  const back = (
    <Anchor component={Link} to="/claims" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden />
        {t('claim.back')}
      </Group>
    </Anchor>
  );
  return (
    <>
      <PageHeader above={back} title={t('newClaim.title')} description={t('newClaim.subtitle')} />
      {invoiceId ? (
        <InvoiceClaim key={invoiceId} invoiceId={invoiceId} onChange={() => setSearch({}, { replace: false })} />
      ) : (
        <InvoicePicker autoFocus onPick={(inv) => setSearch({ invoice: inv.id })} />
      )}
    </>
  );
}

function InvoiceClaim({ invoiceId, onChange }: { invoiceId: string; onChange: () => void }) {
  const { t } = useTranslation('claims');
  const invoice = useInvoice(invoiceId);
  if (invoice.isError) return <QueryError error={invoice.error} onRetry={() => void invoice.refetch()} />;
  if (!invoice.data) return <Skeleton h={300} />;
  return (
    <Stack gap="md">
      <InvoiceHead invoice={invoice.data} onChange={onChange} />
      {CLAIMABLE_INVOICE_STATUSES.includes(invoice.data.status) ? (
        <ClaimBuilder invoice={invoice.data} />
      ) : (
        <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />}>
          {t('newClaim.notClaimable', {
            status: t(`picker.statuses.${invoice.data.status}`, { defaultValue: invoice.data.status }),
          })}
        </Alert>
      )}
    </Stack>
  );
}

function InvoiceHead({ invoice, onChange }: { invoice: Invoice; onChange: () => void }) {
  const { t, i18n } = useTranslation('claims');
  const f = useFormatters();
  const language = i18n.resolvedLanguage ?? 'en';
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Text size="sm">
            <b>{t('claim.invoice')}:</b> <Code>{invoice.number ?? '—'}</Code>{' '}
            {invoice.issuedAt && t('newClaim.issuedOn', { date: f.date(invoice.issuedAt) })}
          </Text>
          <Text size="sm">
            <b>{t('claim.patient')}:</b> {invoice.patient.name} ({invoice.patient.mrn})
          </Text>
          <Text size="sm">
            <b>{t('picker.total')}:</b> {formatAmount(invoice.total, invoice.currency, language)} ·{' '}
            {t('newClaim.insurerShare', { amount: formatAmount(invoice.insurerShare, invoice.currency, language) })}
          </Text>
        </Stack>
        <Button variant="default" size="compact-sm" onClick={onChange}>
          {t('newClaim.otherInvoice')}
        </Button>
      </Group>
    </Paper>
  );
}

function ClaimBuilder({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  const coverages = useCoverages(invoice.patient.id);
  const billable = invoice.lines.filter((l) => l.unitPrice !== null && Number(l.total) > 0);
  const serviceDate = earliestServiceDate(billable) ?? (invoice.issuedAt ?? invoice.createdAt).slice(0, 10);
  const valid = useMemo(() => coveragesOn(coverages.data?.data ?? [], serviceDate), [coverages.data, serviceDate]);
  const [coverageId, setCoverageId] = useState<string | null>(null);
  const chosen = valid.find((c) => c.id === coverageId) ?? valid[0] ?? null;

  return (
    <>
      <Paper withBorder p="sm" component="section" aria-labelledby="new-claim-coverage">
        <Title order={2} size="h5" mb="xs" id="new-claim-coverage">
          {t('claim.coverage')}
        </Title>
        {coverages.isError ? (
          <QueryError error={coverages.error} onRetry={() => void coverages.refetch()} />
        ) : !coverages.data ? (
          <Skeleton h={40} />
        ) : valid.length === 0 ? (
          <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('newClaim.noCoverage')}>
            {t('newClaim.noCoverageHint', { date: f.date(serviceDate) })}
          </Alert>
        ) : valid.length === 1 ? (
          <CoverageText c={valid[0]!} />
        ) : (
          <Radio.Group
            value={chosen?.id ?? null}
            onChange={setCoverageId}
            label={t('newClaim.chooseCoverage')}
            description={t('newClaim.chooseCoverageHelp')}
          >
            <Stack gap={6} mt={6}>
              {valid.map((c) => (
                <Radio
                  key={c.id}
                  value={c.id}
                  label={<CoverageText c={c} />}
                  aria-label={t('coverage.plan', { payer: c.payer.name, plan: c.plan.name })}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
      </Paper>
      {chosen ? (
        <CoveredLines key={chosen.id} invoice={invoice} coverage={chosen} />
      ) : (
        <LinesTable invoice={invoice} cover={null} selected={new Set()} claimed={null} updating={false} onToggle={() => {}} />
      )}
    </>
  );
}

function CoverageText({ c }: { c: Coverage }) {
  const { t } = useTranslation('claims');
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600}>
        {t('coverage.plan', { payer: c.payer.name, plan: c.plan.name })}{' '}
        {c.priority > 1 && (
          <Badge size="xs" variant="outline" color="gray">
            {t('newClaim.priority', { priority: c.priority })}
          </Badge>
        )}
      </Text>
      <CoverageMemberLine c={c} />
    </Stack>
  );
}

type Cover = (line: Invoice['lines'][number]) => ReturnType<typeof lineCover>;

function CoveredLines({ invoice, coverage }: { invoice: Invoice; coverage: Coverage }) {
  const { t } = useTranslation('claims');
  const navigate = useNavigate();
  const plan = usePlan(coverage.plan.id);
  const create = useCreateClaim();
  const cover: Cover | null = plan.data ? (l) => lineCover(plan.data.rules, l) : null;
  const covered = cover ? invoice.lines.filter((l) => cover(l) === 'covered') : [];
  // null: every covered line (until the user leaves one out)
  const [selected, setSelected] = useState<Set<string> | null>(null);
  const chosen = selected ?? new Set(covered.map((l) => l.id));
  const [duplicateOf, setDuplicateOf] = useState<string | null>(null);
  const currencyMismatch = plan.data && plan.data.currency !== invoice.currency;
  const all = covered.length > 0 && covered.every((l) => chosen.has(l.id));
  // the body create takes, previewed as it changes: the server says what the claim would be
  const body: ClaimCreateInput | null =
    plan.data && chosen.size > 0 && !currencyMismatch
      ? { invoiceId: invoice.id, coverageId: coverage.id, ...(all ? {} : { lineIds: [...chosen].sort() }) }
      : null;
  const preview = useClaimPreview(body);
  const shown = body && !preview.isError ? (preview.data ?? null) : null;
  // an open claim found by the preview is named in the amounts; one found by create, below
  const previewDuplicate = body && preview.isError ? duplicateClaimOf(preview.error) : null;
  const openClaim = previewDuplicate ? null : duplicateOf;

  const submit = () => {
    if (!body) return;
    setDuplicateOf(null);
    create.mutate(body, {
      onSuccess: (c) => {
        notifySuccess(t('queue.created', { number: c.number }));
        void navigate(`/claims/${c.id}`);
      },
      onError: (err) => {
        const claimId = duplicateClaimOf(err);
        if (claimId) setDuplicateOf(claimId);
        notifyError(err, t);
      },
    });
  };

  return (
    <>
      {plan.isError && <QueryError error={plan.error} onRetry={() => void plan.refetch()} />}
      {currencyMismatch && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />}>
          {t('newClaim.currencyMismatch', { plan: plan.data.currency, invoice: invoice.currency })}
        </Alert>
      )}
      <LinesTable
        invoice={invoice}
        cover={cover}
        selected={chosen}
        claimed={shown ? new Map(shown.lines.map((l) => [l.invoiceLineId, l.claimed])) : null}
        updating={preview.isPlaceholderData}
        onToggle={(id) =>
          setSelected(() => {
            const next = new Set(chosen);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return next;
          })
        }
      />
      {plan.data && !currencyMismatch && (
        <PreviewAmounts
          body={body}
          preview={shown}
          error={body && preview.isError ? preview.error : null}
          updating={preview.isPlaceholderData}
          onRetry={() => void preview.refetch()}
        />
      )}
      <Paper withBorder p="sm" component="section" aria-labelledby="new-claim-diagnoses">
        <Title order={2} size="h5" mb={4} id="new-claim-diagnoses">
          {t('claim.diagnoses')}
        </Title>
        {!invoice.encounterId ? (
          <Text size="sm" c="dimmed">
            {t('newClaim.noEncounter')}
          </Text>
        ) : !body || preview.isError ? (
          <Text size="sm" c="dimmed">
            {t('newClaim.diagnosesOnClaim')}
          </Text>
        ) : !shown ? (
          <Skeleton h={24} />
        ) : shown.diagnoses.length ? (
          <Stack gap={2} data-testid="new-claim-diagnoses">
            {shown.diagnoses.map((d) => (
              <Text size="sm" key={d.code}>
                <Code>{d.code}</Code> {d.description}
              </Text>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t('claim.noDiagnoses')}
          </Text>
        )}
      </Paper>
      {openClaim && <DuplicateAlert claimId={openClaim} />}
      <Group justify="flex-end">
        <Text size="sm" c="dimmed" role="status">
          {plan.data && t('newClaim.selected', { count: chosen.size, covered: covered.length })}
        </Text>
        <Button
          leftSection={<IconFileInvoice size={16} aria-hidden />}
          loading={create.isPending}
          disabled={!body || preview.isError}
          onClick={submit}
        >
          {t('newClaim.create')}
        </Button>
      </Group>
    </>
  );
}

/** The open claim a 409 CLAIM_DUPLICATE names, if the error is one. */
function duplicateClaimOf(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== 'CLAIM_DUPLICATE') return null;
  return (err.details as { claimId?: string } | null)?.claimId ?? null;
}

function DuplicateAlert({ claimId }: { claimId: string }) {
  const { t } = useTranslation('claims');
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />}>
      {t('errors.CLAIM_DUPLICATE')}{' '}
      <Anchor component={Link} to={`/claims/${claimId}`}>
        {t('newClaim.openExisting')}
      </Anchor>
    </Alert>
  );
}

/** What the claim would ask of the payer: the covered lines' total, what the patient keeps, the claim. */
function PreviewAmounts({
  body,
  preview,
  error,
  updating,
  onRetry,
}: {
  body: ClaimCreateInput | null;
  preview: ClaimPreview | null;
  /** the preview's refusal (create would answer the same) or failure */
  error: unknown;
  /** `preview` is of the previous choice, the new one is on its way */
  updating: boolean;
  onRetry: () => void;
}) {
  const { t, i18n } = useTranslation('claims');
  const language = i18n.resolvedLanguage ?? 'en';
  const amount = (text: string) => (preview ? formatAmount(text, preview.currency, language) : '');
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="new-claim-amounts" data-testid="new-claim-amounts">
      <Title order={2} size="h5" mb="xs" id="new-claim-amounts">
        {t('newClaim.amounts')}
      </Title>
      {error ? (
        duplicateClaimOf(error) ? (
          <DuplicateAlert claimId={duplicateClaimOf(error)!} />
        ) : error instanceof ApiError && error.status < 500 ? (
          <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {errorMessage(error, t)}
          </Alert>
        ) : (
          <QueryError error={error} onRetry={onRetry} />
        )
      ) : !body ? (
        <Text size="sm" c="dimmed">
          {t('newClaim.pickLines')}
        </Text>
      ) : !preview ? (
        <Skeleton h={80} />
      ) : (
        <>
          <Table verticalSpacing={2} fz="sm" w="auto" withRowBorders={false} c={updating ? 'dimmed' : undefined}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" fw={400}>
                  {t('newClaim.gross')}
                </Table.Th>
                <Table.Td ta="right" ff="monospace">
                  {amount(preview.totals.gross)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row" fw={400}>
                  {t('newClaim.copay')}
                </Table.Th>
                <Table.Td ta="right" ff="monospace">
                  {amount(preview.totals.copay)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row" fw={400}>
                  {t('newClaim.coinsurance')}
                </Table.Th>
                <Table.Td ta="right" ff="monospace">
                  {amount(preview.totals.coinsurance)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('newClaim.claimedFrom', { payer: preview.payer.name })}</Table.Th>
                <Table.Td ta="right" ff="monospace" fw={700}>
                  {amount(preview.totals.claimed)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {preview.totals.capped && (
            <Text size="xs" c="dimmed" mt={4}>
              {t(`newClaim.capped.${preview.totals.capped}`)}
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}

function LinesTable({
  invoice,
  cover,
  selected,
  claimed,
  updating,
  onToggle,
}: {
  invoice: Invoice;
  cover: Cover | null;
  selected: Set<string>;
  /** the preview's claimed amount of each line it claims; null without a preview */
  claimed: Map<string, string> | null;
  /** the preview shown is of the previous choice, the new one is on its way */
  updating: boolean;
  onToggle: (lineId: string) => void;
}) {
  const { t, i18n } = useTranslation('claims');
  const f = useFormatters();
  const language = i18n.resolvedLanguage ?? 'en';
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="new-claim-lines">
      <Title order={2} size="h5" mb="xs" id="new-claim-lines">
        {t('newClaim.lines')}
      </Title>
      <Table verticalSpacing={4} fz="sm" data-testid="new-claim-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={40}>
              <VisuallyHidden>{t('newClaim.include')}</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col">{t('claim.date')}</Table.Th>
            <Table.Th scope="col">{t('claim.service')}</Table.Th>
            <Table.Th scope="col">{t('claim.code')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('claim.quantity')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('picker.total')}
            </Table.Th>
            <Table.Th scope="col">{t('newClaim.cover')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('claim.claimed')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.lines.map((l) => {
            const state = cover?.(l) ?? null;
            return (
              <Table.Tr key={l.id} c={state && state !== 'covered' ? 'dimmed' : undefined}>
                <Table.Td>
                  {state === 'covered' && (
                    <Checkbox
                      checked={selected.has(l.id)}
                      onChange={() => onToggle(l.id)}
                      aria-label={t('newClaim.includeLine', { line: l.description })}
                    />
                  )}
                </Table.Td>
                <Table.Td>{f.date(l.serviceDate)}</Table.Td>
                <Table.Td>{l.description}</Table.Td>
                <Table.Td>
                  <Code>{l.code}</Code> {l.procedureCode && <Code>{l.procedureCode}</Code>}
                </Table.Td>
                <Table.Td ta="right">{Number(l.quantity)}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatAmount(l.total, invoice.currency, language)}
                </Table.Td>
                <Table.Td>
                  {state && (
                    <Badge
                      size="sm"
                      variant={state === 'covered' ? 'light' : 'outline'}
                      color={state === 'covered' ? 'green' : 'gray'}
                    >
                      {t(`newClaim.covers.${state}`)}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right" ff="monospace" c={updating ? 'dimmed' : undefined}>
                  {claimed?.has(l.id) ? formatAmount(claimed.get(l.id)!, invoice.currency, language) : ''}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
