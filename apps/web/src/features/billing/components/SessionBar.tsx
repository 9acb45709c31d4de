import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconCash, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useCurrentSession, useSessionActions, useSessions, type CashierSession } from '../api/billing.ts';
import { compare, isDecimal, isZero } from '../lib/money.ts';
import { countDifference, countKey, countsComplete, needsNote } from '../lib/session.ts';
import { useMoney } from './format.ts';

/** The cashier's session: open it with a float per currency, its running totals, close it with the counts. */
export function SessionBar() {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const collect = can('payments:collect');
  const session = useCurrentSession(collect || can('payments:read'));
  const [opening, setOpening] = useState(false);
  const [closing, setClosing] = useState(false);
  const s = session.data;
  // a reader who does not take payments sees a session bar only while one of theirs is open
  if (!collect && (!can('payments:read') || !s)) return null;
  return (
    <Paper withBorder p="xs" radius="md" mb="sm" data-testid="cashier-session">
      <Group justify="space-between" wrap="wrap" gap="xs">
        {session.isPending ? (
          <Text size="sm" c="dimmed">
            {t('session.loading')}
          </Text>
        ) : s ? (
          <Group gap="xs" wrap="wrap">
            <Badge color="green" leftSection={<IconLockOpen size={12} />}>
              {t('session.open')}
            </Badge>
            <Text size="sm">{t('session.since', { time: f.dateTime(s.openedAt), count: s.payments })}</Text>
            {s.totals
              .filter((row) => !isZero(row.expected, row.currency) || !isZero(row.taken, row.currency))
              .map((row) => (
                <Badge key={countKey(row)} variant="light" color="gray" tt="none">
                  {t(`methods.${row.method}`)}: {money(row.expected, row.currency)}
                </Badge>
              ))}
          </Group>
        ) : (
          <Group gap="xs">
            <Badge color="gray" leftSection={<IconLock size={12} />}>
              {t('session.closed')}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('session.none')}
            </Text>
          </Group>
        )}
        {collect &&
          !session.isPending &&
          (s ? (
            <Button
              size="xs"
              variant="light"
              color="orange"
              leftSection={<IconLock size={14} />}
              onClick={() => setClosing(true)}
            >
              {t('session.close')}
            </Button>
          ) : (
            <Button size="xs" leftSection={<IconCash size={14} />} onClick={() => setOpening(true)}>
              {t('session.openAction')}
            </Button>
          ))}
      </Group>
      {opening && <OpenSessionModal onClose={() => setOpening(false)} />}
      {closing && s && <CloseSessionModal session={s} onClose={() => setClosing(false)} />}
    </Paper>
  );
}

function OpenSessionModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('billing');
  const { activeClinic } = useAuth();
  const currencies = activeClinic?.currencies ?? [];
  const [floats, setFloats] = useState<Record<string, string>>(() => Object.fromEntries(currencies.map((c) => [c, '0'])));
  const { open } = useSessionActions();
  const valid = currencies.every((c) => isDecimal((floats[c] ?? '').trim()) && !(floats[c] ?? '').trim().startsWith('-'));
  const submit = () => {
    if (!valid) return;
    open.mutate(
      { floats: currencies.map((currency) => ({ currency, amount: (floats[currency] ?? '0').trim() })) },
      {
        onSuccess: () => {
          notifySuccess(t('session.opened'));
          onClose();
        },
      },
    );
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} title={t('session.openTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('session.floatHelp')}</Text>
          {currencies.map((c, i) => (
            <TextInput
              key={c}
              label={t('session.float', { currency: c })}
              inputMode="decimal"
              data-autofocus={i === 0 || undefined}
              value={floats[c] ?? ''}
              onChange={(e) => setFloats((prev) => ({ ...prev, [c]: e.currentTarget.value }))}
              error={isDecimal((floats[c] ?? '').trim()) ? undefined : t('form.amountInvalid')}
            />
          ))}
          {open.error && <Alert color="red">{errorMessage(open.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={open.isPending} disabled={!valid}>
              {t('session.openAction')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CloseSessionModal({ session, onClose }: { session: CashierSession; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const money = useMoney();
  const rows = session.totals;
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const { close } = useSessionActions();
  const noteRequired = needsNote(rows, counts);
  const complete = countsComplete(rows, counts);
  const canSubmit = complete && (!noteRequired || note.trim().length > 0);
  const submit = () => {
    if (!canSubmit) return;
    close.mutate(
      {
        id: session.id,
        version: session.version,
        counts: rows.map((row) => ({
          currency: row.currency,
          method: row.method,
          counted: (counts[countKey(row)] ?? '').trim(),
        })),
        note: note.trim() || null,
      },
      {
        onSuccess: () => {
          notifySuccess(t('session.closedDone'));
          onClose();
        },
      },
    );
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('session.closeTitle')}
      size="xl"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('session.countHelp')}</Text>
          <Table striped withTableBorder verticalSpacing={4} data-testid="session-counts" style={{ whiteSpace: 'nowrap' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('session.method')}</Table.Th>
                <Table.Th ta="right">{t('session.float2')}</Table.Th>
                <Table.Th ta="right">{t('session.taken')}</Table.Th>
                <Table.Th ta="right">{t('session.refunded')}</Table.Th>
                <Table.Th ta="right">{t('session.expected')}</Table.Th>
                <Table.Th w={150}>{t('session.counted')}</Table.Th>
                <Table.Th ta="right">{t('session.difference')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => {
                const key = countKey(row);
                const diff = countDifference(row, counts[key] ?? '');
                const sign = diff === null ? 0 : compare(diff, '0', row.currency);
                return (
                  <Table.Tr key={key}>
                    <Table.Td>
                      {t(`methods.${row.method}`)} · {row.currency}
                    </Table.Td>
                    <Table.Td ta="right">{money(row.float, row.currency)}</Table.Td>
                    <Table.Td ta="right">{money(row.taken, row.currency)}</Table.Td>
                    <Table.Td ta="right">{money(row.refunded, row.currency)}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {money(row.expected, row.currency)}
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        inputMode="decimal"
                        aria-label={t('session.countedFor', { method: t(`methods.${row.method}`), currency: row.currency })}
                        data-autofocus={i === 0 || undefined}
                        value={counts[key] ?? ''}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setCounts((prev) => ({ ...prev, [key]: value }));
                        }}
                      />
                    </Table.Td>
                    <Table.Td ta="right" c={sign === 0 ? undefined : sign < 0 ? 'red' : 'orange'} fw={sign === 0 ? 400 : 700}>
                      {diff === null ? '—' : money(diff, row.currency)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {rows.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('session.nothingToCount')}
            </Text>
          )}
          <Textarea
            label={t('session.note')}
            description={noteRequired ? t('session.noteRequired') : t('session.noteOptional')}
            required={noteRequired}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={1000}
            autosize
            minRows={2}
            error={noteRequired && !note.trim() ? t('session.noteMissing') : undefined}
          />
          {close.error && <Alert color="red">{errorMessage(close.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={close.isPending} disabled={!canSubmit}>
              {t('session.close')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The clinic's recent cashier sessions for a manager: who, when, each difference and its explanation;
 * a closed session is reopened only with a reason.
 */
export function RecentSessions() {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const f = useFormatters();
  const money = useMoney();
  const manage = can('payments:manage');
  const sessions = useSessions(manage);
  const [reopening, setReopening] = useState<CashierSession | null>(null);
  if (!manage || !sessions.data?.length) return null;
  return (
    <Paper withBorder p="xs" radius="md" mb="sm" data-testid="recent-sessions">
      <Text fw={600} size="sm" mb={4}>
        {t('sessions.title')}
      </Text>
      <Table verticalSpacing={2} style={{ whiteSpace: 'nowrap' }}>
        <Table.Tbody>
          {sessions.data.slice(0, 5).map((s) => {
            const off = s.totals.filter((row) => row.difference !== null && !isZero(row.difference, row.currency));
            return (
              <Table.Tr key={s.id}>
                <Table.Td>{s.cashier.name}</Table.Td>
                <Table.Td>
                  {f.dateTime(s.openedAt)} – {s.closedAt ? f.dateTime(s.closedAt) : t('session.open')}
                </Table.Td>
                <Table.Td>
                  {off.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      {s.status === 'closed' ? t('sessions.balanced') : ''}
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {off.map((row) => (
                        <Badge key={countKey(row)} color="red" variant="light" tt="none">
                          {t(`methods.${row.method}`)}: {money(row.difference, row.currency)}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'normal' }}>
                  <Text size="xs">{s.closingNote ?? ''}</Text>
                  {s.reopenReason && (
                    <Text size="xs" c="dimmed">
                      {t('sessions.reopened', { name: s.reopenedBy?.name ?? '', reason: s.reopenReason })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {s.status === 'closed' && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setReopening(s)}>
                      {t('sessions.reopen')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {reopening && <ReopenModal session={reopening} onClose={() => setReopening(null)} />}
    </Paper>
  );
}

function ReopenModal({ session, onClose }: { session: CashierSession; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const { reopen } = useSessionActions();
  const [reason, setReason] = useState('');
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('sessions.reopenTitle', { name: session.cashier.name })}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return;
          reopen.mutate(
            { id: session.id, reason: reason.trim(), version: session.version },
            {
              onSuccess: () => {
                notifySuccess(t('sessions.reopenedDone'));
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t('sessions.reason')}
            required
            data-autofocus
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
          />
          {reopen.error && <Alert color="red">{errorMessage(reopen.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" disabled={!reason.trim()} loading={reopen.isPending}>
              {t('sessions.reopen')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
