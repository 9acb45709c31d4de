import { useEffect, useRef, useState } from 'react';
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Indicator,
  Modal,
  Paper,
  Popover,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertOctagon, IconFlask } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { testName, unitLabel } from './labels.ts';
import { LAB_CRITICAL_MAX_ESCALATION } from '@sanita/contracts/lab';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';
import { useAcknowledgeLabAlert, useLabAlerts, type LabCriticalAlert } from '../api/lab.ts';
import { FlagMark } from './Badges.tsx';

const resultsTab = (patientId: string) => `/patients/${patientId}/chart/results`;

/** An alert's notification at each level (an escalation shows anew, in place of the one before). */
const toastId = (alertId: string, level: number) => `lab-critical-${alertId}-${level}`;
function hideToasts(alertId: string) {
  for (let level = 0; level <= LAB_CRITICAL_MAX_ESCALATION; level++) notifications.hide(toastId(alertId, level));
}

/** The value of an alert as one line: 'Potassium 6.9 mmol/L'. */
function valueLine(a: LabCriticalAlert, language: string | undefined) {
  return `${testName(a.result, language)} ${a.result.value}${a.result.unit ? ` ${unitLabel(a.result.unit)}` : ''}`;
}

/**
 * The open critical values the user is to act on (their own orders', and those escalated to the clinic's
 * doctors): patient, test, value, flag, range, when; Acknowledge with an optional note.
 */
export function CriticalAlertList({
  alerts,
  onNavigate,
  onAcknowledge,
}: {
  alerts: LabCriticalAlert[];
  onNavigate?: () => void;
  /** where the list is in a popover: its owner shows the acknowledgement (the popover closes) */
  onAcknowledge?: (alert: LabCriticalAlert) => void;
}) {
  const { t, i18n } = useTranslation('lab');
  const f = useFormatters();
  const [own, setAcknowledging] = useState<LabCriticalAlert | null>(null);
  const acknowledging = onAcknowledge ? null : own;
  if (alerts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('alerts.none')}
      </Text>
    );
  return (
    <Stack gap="xs" role="list" aria-label={t('alerts.title')}>
      {alerts.map((a) => {
        const titleId = `lab-alert-${a.id}`;
        return (
          <Paper
            key={a.id}
            role="listitem"
            withBorder
            p="xs"
            radius="sm"
            style={{ borderLeft: '4px solid var(--mantine-color-red-7)' }}
            data-testid="lab-critical-alert"
            aria-labelledby={titleId}
          >
            <Stack gap={2}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text size="sm" fw={700} id={titleId}>
                  {valueLine(a, i18n.resolvedLanguage)} <FlagMark flag={a.result.flag} />
                </Text>
                {a.level > 0 && (
                  <Badge size="xs" color="red" variant="filled">
                    {t('alerts.escalated', { level: a.level })}
                  </Badge>
                )}
              </Group>
              <Text size="sm">
                {a.patient.name}
                <Text span size="xs" c="dimmed">
                  {' · '}
                  {t('worklist.mrn', { mrn: a.patient.mrn })}
                </Text>
              </Text>
              <Text size="xs" c="dimmed">
                {t('alerts.range', { range: a.result.rangeText ?? '—' })}
                {' · '}
                {t('alerts.raised', {
                  when: f.dateTime(a.raisedAt),
                  name: a.orderedBy?.name ?? t('worklist.outside'),
                  number: a.orderNumber,
                })}
              </Text>
              <Group gap="xs" mt={4}>
                <Button
                  size="compact-sm"
                  color="red"
                  onClick={() => (onAcknowledge ? onAcknowledge(a) : setAcknowledging(a))}
                  aria-describedby={titleId}
                  data-testid="lab-alert-ack"
                >
                  {t('alerts.acknowledge')}
                </Button>
                <Anchor component={Link} to={resultsTab(a.patient.id)} size="sm" onClick={onNavigate} aria-describedby={titleId}>
                  {t('alerts.openResults')}
                </Anchor>
              </Group>
            </Stack>
          </Paper>
        );
      })}
      {acknowledging && <AcknowledgeModal alert={acknowledging} onClose={() => setAcknowledging(null)} />}
    </Stack>
  );
}

export function AcknowledgeModal({ alert, onClose }: { alert: LabCriticalAlert; onClose: () => void }) {
  const { t, i18n } = useTranslation('lab');
  const ack = useAcknowledgeLabAlert();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () =>
    ack.mutate(
      { alertId: alert.id, note },
      {
        onSuccess: () => {
          hideToasts(alert.id);
          notifySuccess(t('alerts.acknowledged'));
          onClose();
        },
        onError: (err) => setError(errorMessage(err, t)),
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('alerts.ackTitle')}>
      <Stack>
        <Text size="sm">
          <b>{valueLine(alert, i18n.resolvedLanguage)}</b> — {alert.patient.name} ({t('worklist.mrn', { mrn: alert.patient.mrn })}
          )
        </Text>
        <Textarea
          label={t('alerts.note')}
          description={t('alerts.noteHint')}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={error}
          data-autofocus
          data-testid="lab-alert-note"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={submit} loading={ack.isPending} data-testid="lab-alert-ack-confirm">
            {t('alerts.acknowledge')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The prescriber's home panel: their open critical values, announced as an alert while any waits. */
export function CriticalAlertsHomePanel() {
  const { t } = useTranslation('lab');
  const alerts = useLabAlerts();
  const count = alerts.data?.length ?? 0;
  return (
    <Paper
      component="section"
      withBorder
      p="md"
      radius="md"
      aria-labelledby="home-lab-alerts"
      data-testid="home-lab-alerts"
      style={count ? { borderColor: 'var(--mantine-color-red-7)', borderWidth: 2 } : undefined}
    >
      <Stack gap="sm">
        <Group gap="xs">
          <IconAlertOctagon size={20} color={count ? 'var(--mantine-color-red-7)' : undefined} aria-hidden />
          <Title order={2} size="h4" id="home-lab-alerts">
            {t('alerts.title')}
          </Title>
          {count > 0 && (
            <Badge color="red" variant="filled">
              {count}
            </Badge>
          )}
        </Group>
        {alerts.isPending ? (
          <Skeleton h={60} />
        ) : alerts.isError ? (
          <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : (
          <div role={count ? 'alert' : undefined}>
            <CriticalAlertList alerts={alerts.data} />
          </div>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The header's control for prescribers: the number of their open critical values (a click lists them
 * with Acknowledge), and a notification that stays until acknowledged as soon as one is raised or
 * escalated to them, wherever they are in the application.
 */
export function CriticalAlertsBell() {
  const { t, i18n } = useTranslation('lab');
  const navigate = useNavigate();
  const alerts = useLabAlerts();
  const [opened, setOpened] = useState(false);
  const [acknowledging, setAcknowledging] = useState<LabCriticalAlert | null>(null);
  const count = alerts.data?.length ?? 0;
  /** alerts announced by an event, shown once their details have been read */
  const pending = useRef(new Map<string, number>());
  const dropdown = useRef<HTMLDivElement>(null);

  useRealtimeEvent('lab.critical.raised', (e) => pending.current.set(e.alertId, 0));
  useRealtimeEvent('lab.critical.escalated', (e) => pending.current.set(e.alertId, e.level));
  useRealtimeEvent('lab.critical.acknowledged', (e) => hideToasts(e.alertId));

  useEffect(() => {
    if (opened && document.activeElement === document.body) dropdown.current?.focus();
    for (const a of alerts.data ?? []) {
      if (!pending.current.has(a.id)) continue;
      pending.current.delete(a.id);
      hideToasts(a.id);
      notifications.show({
        id: toastId(a.id, a.level),
        color: 'red',
        autoClose: false,
        title: a.level > 0 ? t('alerts.escalatedTitle') : t('alerts.newTitle'),
        closeButtonProps: { 'aria-label': t('alerts.dismiss') },
        icon: <IconFlask size={18} aria-hidden />,
        message: (
          <span data-testid="lab-critical-toast">
            <b>{valueLine(a, i18n.resolvedLanguage)}</b> ({a.result.flag ? t(`flag.${a.result.flag}`) : ''}) · {a.patient.name} ·{' '}
            {t('alerts.range', { range: a.result.rangeText ?? '—' })} ·{' '}
            {/* notifications render outside the router: navigate from here, where the router is */}
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setAcknowledging(a);
              }}
            >
              {t('alerts.acknowledge')}
            </Anchor>
            {' · '}
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                hideToasts(a.id);
                void navigate(resultsTab(a.patient.id));
              }}
            >
              {t('alerts.openResults')}
            </Anchor>
          </span>
        ),
      });
    }
  }, [alerts.data, opened, navigate, t]);

  const label = t('alerts.bellLabel', { count });
  return (
    <Indicator
      label={count}
      size={16}
      color="red"
      disabled={count === 0}
      offset={4}
      data-testid="lab-alerts-count"
      data-count={count}
    >
      <Popover opened={opened} onChange={setOpened} width={380} position="bottom-end" withArrow shadow="md" trapFocus>
        <Popover.Target>
          <ActionIcon
            variant={count ? 'filled' : 'subtle'}
            color={count ? 'red' : 'gray'}
            size="lg"
            aria-label={label}
            title={label}
            onClick={() => setOpened((o) => !o)}
            data-testid="lab-alerts-bell"
          >
            <IconFlask size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown ref={dropdown} aria-label={t('alerts.title')} data-testid="lab-alerts-popover">
          <Title order={2} size="h5" mb="xs">
            {t('alerts.title')}
          </Title>
          {alerts.isPending ? (
            <Skeleton h={60} />
          ) : alerts.isError ? (
            <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
          ) : (
            <ScrollArea.Autosize mah={460} type="auto">
              <CriticalAlertList
                alerts={alerts.data}
                onNavigate={() => setOpened(false)}
                onAcknowledge={(a) => {
                  setOpened(false);
                  setAcknowledging(a);
                }}
              />
            </ScrollArea.Autosize>
          )}
        </Popover.Dropdown>
      </Popover>
      {acknowledging && <AcknowledgeModal alert={acknowledging} onClose={() => setAcknowledging(null)} />}
    </Indicator>
  );
}
