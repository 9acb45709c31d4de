import { useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBarcode, IconCheck, IconFlask, IconPrinter, IconSearch, IconSend, IconTestPipe } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  labelsUrl,
  useLabSteps,
  useLabWorklist,
  useOpenPdf,
  useWorklistCounts,
  WORKLIST_STEPS,
  type LabOrder,
  type LabResult,
  type WorklistStep,
} from '../api/lab.ts';
import { FlagMark, OrderStatusBadge, PriorityBadge } from '../components/Badges.tsx';
import { answerLabel, rangeLabel, testName, unitLabel, withCode } from '../components/labels.ts';
import { ResultEntryForm } from '../components/ResultEntryForm.tsx';
import { dueState, resultValue, toRelease, toVerify } from '../lib/results.ts';

const isStep = (v: string | null): v is WorklistStep => !!v && (WORKLIST_STEPS as readonly string[]).includes(v);

/**
 * The lab's worklist at the active clinic, live: a tab per step (collect, receive, enter, verify, release)
 * with its count, stat and urgent orders first and marked, their due time; each order's action in its card.
 * Arrow keys move between orders, Enter does the step of the one in focus (or opens its result entry).
 */
export function WorklistPage() {
  const { t } = useTranslation('lab');
  const [params, setParams] = useSearchParams();
  const step: WorklistStep = isStep(params.get('step')) ? (params.get('step') as WorklistStep) : 'collect';
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const counts = useWorklistCounts(q);
  const list = useLabWorklist(step, q);
  const listRef = useRef<HTMLDivElement>(null);
  const [entering, setEntering] = useState<string | null>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const cards = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[data-order-card]') ?? []);
    const index = cards.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const go = (i: number) => {
      event.preventDefault();
      cards[Math.max(0, Math.min(cards.length - 1, i))]?.focus();
    };
    if (event.key === 'ArrowDown') go(index + 1);
    else if (event.key === 'ArrowUp') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(cards.length - 1);
    else if (event.key === 'Enter') {
      event.preventDefault();
      cards[index]!.querySelector<HTMLButtonElement>('[data-primary]')?.click();
    }
  };

  return (
    <>
      <PageHeader title={t('worklist.title')} description={t('worklist.subtitle')} />
      <Group gap="sm" mb="sm" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={16} aria-hidden />}
          placeholder={t('worklist.searchPlaceholder')}
          aria-label={t('worklist.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={320}
          data-testid="lab-worklist-search"
        />
        <Text size="xs" c="dimmed">
          {t('worklist.keys')}
        </Text>
      </Group>
      <Tabs
        value={step}
        onChange={(v) => {
          if (!isStep(v)) return;
          setEntering(null);
          setParams((p) => {
            p.set('step', v);
            return p;
          });
        }}
      >
        <Tabs.List>
          {WORKLIST_STEPS.map((s) => (
            <Tabs.Tab
              key={s}
              value={s}
              data-testid={`lab-tab-${s}`}
              rightSection={
                counts.counts[s] !== null ? (
                  <Badge
                    size="sm"
                    variant={counts.counts[s] ? 'filled' : 'light'}
                    color={counts.counts[s] ? 'blue' : 'gray'}
                    data-testid={`lab-count-${s}`}
                  >
                    {counts.counts[s]}
                  </Badge>
                ) : undefined
              }
            >
              {t(`step.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {WORKLIST_STEPS.map((s) => (
          <Tabs.Panel key={s} value={s} pt="sm">
            {s === step &&
              (list.error ? (
                <QueryError error={list.error} onRetry={() => void list.refetch()} />
              ) : list.isPending ? (
                <Stack aria-busy>
                  <Skeleton h={100} radius="md" />
                  <Skeleton h={100} radius="md" />
                </Stack>
              ) : list.data.length === 0 ? (
                <EmptyState
                  icon={<IconFlask size={22} />}
                  title={q ? t('worklist.noMatchTitle') : t(`worklist.empty.${step}`)}
                  description={q ? t('worklist.noMatch') : t('worklist.emptyHint')}
                />
              ) : (
                <Stack
                  gap="xs"
                  ref={listRef}
                  onKeyDown={onKeyDown}
                  role="list"
                  aria-label={t(`step.${step}`)}
                  data-testid="lab-worklist"
                >
                  {list.data.map((order, i) => (
                    <OrderCard
                      key={order.id}
                      order={order}
                      step={step}
                      first={i === 0}
                      entering={entering === order.id}
                      onEnter={() => setEntering((id) => (id === order.id ? null : order.id))}
                    />
                  ))}
                </Stack>
              ))}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

function OrderCard({
  order,
  step,
  first,
  entering,
  onEnter,
}: {
  order: LabOrder;
  step: WorklistStep;
  first: boolean;
  entering: boolean;
  onEnter: () => void;
}) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const titleId = `lab-order-${order.id}`;
  const due = dueState(order.dueAt);
  const border =
    order.priority === 'stat'
      ? 'var(--mantine-color-red-7)'
      : order.priority === 'urgent'
        ? 'var(--mantine-color-orange-6)'
        : undefined;
  const accessions = order.specimens.map((s) => s.accessionNumber);
  return (
    <Paper
      role="listitem"
      withBorder
      p="sm"
      radius="md"
      tabIndex={first ? 0 : -1}
      data-order-card={order.id}
      className="mantine-focus-auto"
      data-testid="lab-worklist-order"
      data-number={order.number}
      data-priority={order.priority}
      aria-labelledby={titleId}
      style={{ borderLeft: border ? `5px solid ${border}` : undefined }}
      onFocus={(e) => {
        if (e.target !== e.currentTarget) return;
        const list = e.currentTarget.parentElement;
        list?.querySelectorAll<HTMLElement>('[data-order-card]').forEach((el) => (el.tabIndex = el === e.currentTarget ? 0 : -1));
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Group gap="xs" wrap="wrap">
              <Title order={2} size="h5" id={titleId}>
                {order.patient.name}
                <Text span c="dimmed" fw={400} size="sm">
                  {' · '}
                  {t('worklist.mrn', { mrn: order.patient.mrn })}
                  {' · '}
                  {f.age(order.patient.birthDate)}
                  {' · '}
                  {t(`sex.${order.patient.sex}`, { defaultValue: order.patient.sex })}
                </Text>
              </Title>
              <PriorityBadge priority={order.priority} />
              <OrderStatusBadge status={order.status} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('worklist.orderLine', {
                number: order.number,
                name: order.orderedBy?.name ?? t('worklist.outside'),
                when: f.dateTime(order.orderedAt),
              })}
              {accessions.length > 0 && ` · ${t('worklist.accessions', { numbers: accessions.join(', ') })}`}
            </Text>
          </div>
          <Stack gap={2} align="flex-end">
            <Text
              size="xs"
              fw={due === 'later' ? 400 : 700}
              c={due === 'overdue' ? 'red.9' : due === 'soon' ? 'orange.9' : 'dimmed'}
              data-testid="lab-due"
            >
              {due === 'overdue'
                ? t('worklist.overdue', { when: f.dateTime(order.dueAt) })
                : t('worklist.due', { when: f.dateTime(order.dueAt) })}
            </Text>
            <StepActions order={order} step={step} entering={entering} onEnter={onEnter} titleId={titleId} />
          </Stack>
        </Group>
        <Text size="sm">
          {order.items.map((i) => withCode(testName(i, i18n.resolvedLanguage), i.code)).join(', ')}
          {order.specimens.length > 0 && (
            <Text span size="xs" c="dimmed">
              {' · '}
              {t('worklist.specimens', {
                list: [...new Set(order.specimens.map((s) => t(`specimen.${s.specimenType}`)))].join(', '),
              })}
            </Text>
          )}
        </Text>
        {order.clinicalNotes && (
          <Text size="xs" fs="italic">
            {t('worklist.notes', { notes: order.clinicalNotes })}
          </Text>
        )}
        {(step === 'verify' || step === 'release') && <ResultsReview order={order} step={step} />}
        {step === 'enter' && entering && <ResultEntryForm order={order} onSaved={onEnter} />}
      </Stack>
    </Paper>
  );
}

function StepActions({
  order,
  step,
  entering,
  onEnter,
  titleId,
}: {
  order: LabOrder;
  step: WorklistStep;
  entering: boolean;
  onEnter: () => void;
  titleId: string;
}) {
  const { t } = useTranslation('lab');
  const steps = useLabSteps();
  const openPdf = useOpenPdf();
  const { me } = useAuth();
  const printLabels = () => void openPdf(labelsUrl(order.id)).catch((err: unknown) => notifyError(err, t));
  const labels = order.specimens.length > 0 && (
    <Button
      size="xs"
      variant="default"
      leftSection={<IconPrinter size={14} aria-hidden />}
      onClick={printLabels}
      tabIndex={-1}
      aria-describedby={titleId}
    >
      {t('worklist.labels')}
    </Button>
  );
  const fail = (err: unknown) => notifyError(err, t);

  if (step === 'collect')
    return (
      <Button
        size="xs"
        leftSection={<IconBarcode size={14} aria-hidden />}
        loading={steps.collect.isPending}
        data-primary
        tabIndex={-1}
        aria-describedby={titleId}
        data-testid="lab-collect"
        onClick={() =>
          steps.collect.mutate(
            { orderId: order.id, version: order.version },
            {
              onSuccess: (o) => {
                notifySuccess(t('worklist.collected', { numbers: o.specimens.map((s) => s.accessionNumber).join(', ') }));
                void openPdf(labelsUrl(o.id)).catch(fail);
              },
              onError: fail,
            },
          )
        }
      >
        {t('worklist.collect')}
      </Button>
    );
  if (step === 'receive')
    return (
      <Group gap="xs">
        {labels}
        <Button
          size="xs"
          leftSection={<IconTestPipe size={14} aria-hidden />}
          loading={steps.receive.isPending}
          data-primary
          tabIndex={-1}
          aria-describedby={titleId}
          data-testid="lab-receive"
          onClick={() =>
            steps.receive.mutate(
              { orderId: order.id, version: order.version },
              { onSuccess: () => notifySuccess(t('worklist.received')), onError: fail },
            )
          }
        >
          {t('worklist.receive')}
        </Button>
      </Group>
    );
  if (step === 'enter')
    return (
      <Group gap="xs">
        {labels}
        <Button
          size="xs"
          variant={entering ? 'default' : 'filled'}
          data-primary
          tabIndex={-1}
          aria-describedby={titleId}
          aria-expanded={entering}
          onClick={onEnter}
          data-testid="lab-enter"
        >
          {entering ? t('worklist.closeEntry') : t('worklist.enter')}
        </Button>
      </Group>
    );
  if (step === 'verify') {
    const waiting = toVerify(order);
    const ids = waiting.filter((r) => r.enteredBy?.id !== me?.id).map((r) => r.id);
    return (
      <Button
        size="xs"
        color="green"
        leftSection={<IconCheck size={14} aria-hidden />}
        loading={steps.verify.isPending}
        disabled={ids.length === 0}
        data-primary
        tabIndex={-1}
        aria-describedby={titleId}
        data-testid="lab-verify"
        onClick={() =>
          steps.verify.mutate(
            { orderId: order.id, body: { resultIds: ids, version: order.version } },
            { onSuccess: () => notifySuccess(t('worklist.verified', { count: ids.length })), onError: fail },
          )
        }
      >
        {t('worklist.verify', { count: ids.length || waiting.length })}
      </Button>
    );
  }
  const ids = toRelease(order).map((r) => r.id);
  return (
    <Button
      size="xs"
      color="green"
      leftSection={<IconSend size={14} aria-hidden />}
      loading={steps.release.isPending}
      disabled={ids.length === 0}
      data-primary
      tabIndex={-1}
      aria-describedby={titleId}
      data-testid="lab-release"
      onClick={() =>
        steps.release.mutate(
          { orderId: order.id, body: { resultIds: ids, version: order.version } },
          { onSuccess: () => notifySuccess(t('worklist.releasedDone', { count: ids.length })), onError: fail },
        )
      }
    >
      {t('worklist.release', { count: ids.length })}
    </Button>
  );
}

/** The results waiting for verification or release: value, flag, range, who entered them. */
function ResultsReview({ order, step }: { order: LabOrder; step: 'verify' | 'release' }) {
  const { t, i18n } = useTranslation('lab');
  const { me } = useAuth();
  const rows: LabResult[] = step === 'verify' ? toVerify(order) : toRelease(order);
  const own = step === 'verify' && rows.some((r) => r.enteredBy?.id === me?.id);
  const answersOf = (r: LabResult) =>
    order.items.find((i) => i.id === r.orderItemId)?.expected.find((e) => e.testId === r.testId)?.answers ?? [];
  return (
    <Stack gap={4}>
      <Table verticalSpacing={2} horizontalSpacing="xs" fz="sm" data-testid="lab-review">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('entry.test')}</Table.Th>
            <Table.Th>{t('entry.value')}</Table.Th>
            <Table.Th>{t('entry.flag')}</Table.Th>
            <Table.Th>{t('entry.range')}</Table.Th>
            <Table.Th>{t('worklist.enteredBy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} style={r.critical ? { background: 'var(--mantine-color-red-0)' } : undefined}>
              <Table.Td>{testName(r, i18n.resolvedLanguage)}</Table.Td>
              <Table.Td fw={r.critical ? 800 : 500}>
                {resultValue(r, (code) => answerLabel(answersOf(r), code, i18n.resolvedLanguage))} {unitLabel(r.unit)}
              </Table.Td>
              <Table.Td>
                <FlagMark flag={r.flag} />
              </Table.Td>
              <Table.Td>{rangeLabel(r, answersOf(r), i18n.resolvedLanguage)}</Table.Td>
              <Table.Td>{r.enteredBy?.name ?? t('worklist.instrument')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {own && (
        <Alert color="gray" variant="light" py={4}>
          <Text size="xs">{t('worklist.ownResults')}</Text>
        </Alert>
      )}
    </Stack>
  );
}
