import { useRef, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileTypePdf, IconTestPipe, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CreateLabOrderInput, LAB_PRIORITIES } from '@sanita/contracts/lab';
import type { ConsultationPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { schemaIssues } from '../../../lib/validation.ts';
import {
  reportUrl,
  useCancelLabOrder,
  useCreateLabOrder,
  useOpenPdf,
  usePatientLabOrders,
  type LabOrder,
  type LabPriority,
  type LabTest,
} from '../api/lab.ts';
import { FlagMark, OrderStatusBadge, PriorityBadge } from './Badges.tsx';
import { inReportOrder } from '../lib/results.ts';
import { testName, unitLabel, withCode } from './labels.ts';
import { TestPicker } from './TestPicker.tsx';

/**
 * The consultation's lab orders (a panel of /encounters/:id): the tests ordered in this consultation with
 * their status, live, and a new order: search the catalogue (type, arrows, Enter), pick several tests and
 * panels, the priority and clinical notes, and order them in one action.
 */
export function OrderPanel({ encounter, patientId }: ConsultationPartProps) {
  const { t } = useTranslation('lab');
  const { can } = useAuth();
  const orders = usePatientLabOrders(patientId, encounter.id);
  const writable = can('lab:order') && encounter.status === 'in_progress';

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="lab-order-title" data-testid="lab-order-panel">
      <Stack gap="sm">
        <Title order={2} size="h4" id="lab-order-title">
          {t('order.title')}
        </Title>
        {orders.isPending ? (
          <Skeleton h={40} />
        ) : orders.isError ? (
          <QueryError error={orders.error} onRetry={() => void orders.refetch()} />
        ) : (
          orders.data.length > 0 && (
            <Stack gap="xs" data-testid="lab-encounter-orders">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {t('order.inThisVisit')}
              </Text>
              {orders.data.map((o) => (
                <OrderLine key={o.id} order={o} canCancel={writable} />
              ))}
            </Stack>
          )
        )}
        {writable ? (
          <NewOrder encounterId={encounter.id} patientId={patientId} pending={pendingTests(orders.data ?? [])} />
        ) : (
          <Text size="sm" c="dimmed">
            {encounter.status === 'in_progress' ? t('order.readOnly') : t('order.encounterClosed')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** One order of the consultation: number, tests, priority, status, the results already released. */
export function OrderLine({ order, canCancel }: { order: LabOrder; canCancel: boolean }) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const openPdf = useOpenPdf();
  const [cancelling, setCancelling] = useState(false);
  const released = inReportOrder(order).filter((r) => r.status === 'released');
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="lab-order-line" data-order={order.number}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={600}>
              {order.items.map((i) => withCode(testName(i, i18n.resolvedLanguage), i.code)).join(', ')}
            </Text>
            <PriorityBadge priority={order.priority} />
            <OrderStatusBadge status={order.status} />
          </Group>
          <Group gap="xs">
            {released.length > 0 && (
              <Anchor
                component="button"
                type="button"
                size="xs"
                onClick={() => void openPdf(reportUrl(order.id)).catch((err: unknown) => notifyError(err, t))}
              >
                <Group gap={4} component="span">
                  <IconFileTypePdf size={14} aria-hidden />
                  {t('order.report')}
                </Group>
              </Anchor>
            )}
            {canCancel && order.status === 'ordered' && (
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => setCancelling(true)}>
                {t('order.cancel')}
              </Button>
            )}
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          {t('order.meta', { number: order.number, when: f.dateTime(order.orderedAt), due: f.dateTime(order.dueAt) })}
        </Text>
        {released.length > 0 && (
          <Group gap="md" wrap="wrap">
            {released.map((r) => (
              <Text key={r.id} size="xs">
                {testName(r, i18n.resolvedLanguage)}: <b>{r.valueNumeric ?? r.valueCode ?? r.valueText}</b> {unitLabel(r.unit)}{' '}
                <FlagMark flag={r.flag} />
              </Text>
            ))}
          </Group>
        )}
        {order.status === 'cancelled' && order.cancelledReason && (
          <Text size="xs" c="dimmed">
            {t('order.cancelledReason', { reason: order.cancelledReason })}
          </Text>
        )}
      </Stack>
      {cancelling && <CancelModal order={order} onClose={() => setCancelling(false)} />}
    </Paper>
  );
}

function CancelModal({ order, onClose }: { order: LabOrder; onClose: () => void }) {
  const { t } = useTranslation('lab');
  const cancel = useCancelLabOrder();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!reason.trim()) return setError(t('order.reasonRequired'));
    cancel.mutate(
      { orderId: order.id, body: { reason: reason.trim(), version: order.version } },
      {
        onSuccess: () => {
          notifySuccess(t('order.cancelled'));
          onClose();
        },
        onError: (err) => setError(errorMessage(err, t)),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('order.cancelTitle', { number: order.number })}>
      <Stack>
        <TextInput
          label={t('order.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-autofocus
          onKeyDown={(e) => e.key === 'Enter' && submit()}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.back')}
          </Button>
          <Button color="red" loading={cancel.isPending} onClick={submit}>
            {t('order.cancelConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The tests ordered in this consultation and not yet done (nor cancelled), with their order's number. */
function pendingTests(orders: LabOrder[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const o of orders) {
    if (o.status === 'cancelled' || o.status === 'completed') continue;
    for (const i of o.items) map.set(i.testId, o.number);
  }
  return map;
}

function NewOrder({
  encounterId,
  patientId,
  pending,
}: {
  encounterId: string;
  patientId: string;
  /** tests already ordered in this consultation and not done: ordering them again is pointed out */
  pending: Map<string, string>;
}) {
  const { t, i18n } = useTranslation('lab');
  const create = useCreateLabOrder(patientId);
  const [tests, setTests] = useState<LabTest[]>([]);
  const [priority, setPriority] = useState<LabPriority>('routine');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pickerRef = useRef<HTMLInputElement>(null);
  const chosen = new Set(tests.map((x) => x.id));

  const submit = () => {
    const body = {
      encounterId,
      testIds: tests.map((x) => x.id),
      priority,
      ...(notes.trim() ? { clinicalNotes: notes.trim() } : {}),
    };
    if (tests.length === 0) return setError(t('order.nothing'));
    if (schemaIssues(CreateLabOrderInput, body).length) return setError(t('order.notesTooLong'));
    setError(null);
    create.mutate(body, {
      onSuccess: (order) => {
        notifySuccess(t('order.done', { number: order.number }));
        setTests([]);
        setNotes('');
        setPriority('routine');
        pickerRef.current?.focus();
      },
      onError: (err) => setError(errorMessage(err, t)),
    });
  };

  return (
    <Stack
      gap="xs"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
      }}
    >
      <TestPicker
        inputRef={pickerRef}
        chosen={chosen}
        onPick={(test) => {
          setError(null);
          setTests((list) => (list.some((x) => x.id === test.id) ? list : [...list, test]));
        }}
      />
      {tests.length > 0 && (
        <Stack gap={4} role="list" aria-label={t('order.chosen')} data-testid="lab-chosen">
          {tests.map((test) => (
            <Group key={test.id} gap="xs" role="listitem" wrap="nowrap">
              <IconTestPipe size={14} aria-hidden />
              <Text size="sm" style={{ flex: 1 }}>
                {withCode(testName(test, i18n.resolvedLanguage), test.code)}
                <Text span size="xs" c="dimmed">
                  {' · '}
                  {t(`specimen.${test.specimenType}`)}
                  {test.kind === 'panel' ? ` · ${t('order.members', { count: test.members.length })}` : ''}
                </Text>
              </Text>
              {pending.has(test.id) && (
                <Badge size="sm" color="orange" variant="light" data-testid="lab-already-ordered">
                  {t('order.already', { number: pending.get(test.id) })}
                </Badge>
              )}
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={t('order.remove', { name: test.name })}
                onClick={() => setTests((list) => list.filter((x) => x.id !== test.id))}
              >
                <IconX size={14} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      )}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} mb={4} id="lab-priority-label">
            {t('order.priority')}
          </Text>
          <SegmentedControl
            aria-labelledby="lab-priority-label"
            value={priority}
            onChange={(v) => setPriority(v as LabPriority)}
            data={LAB_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            color={priority === 'stat' ? 'red' : priority === 'urgent' ? 'orange' : undefined}
            data-testid="lab-priority-control"
          />
        </div>
      </Group>
      <Textarea
        label={t('order.notes')}
        description={t('order.notesHint')}
        autosize
        minRows={2}
        maxRows={6}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        data-testid="lab-clinical-notes"
      />
      {error && (
        <Alert color="red" variant="light" py={6} role="alert">
          {error}
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {t('order.keys')}
        </Text>
        <Button
          leftSection={<IconTestPipe size={16} aria-hidden />}
          onClick={submit}
          loading={create.isPending}
          disabled={tests.length === 0}
          data-testid="lab-order-submit"
        >
          {t('order.submit', { count: tests.length })}
        </Button>
      </Group>
    </Stack>
  );
}
