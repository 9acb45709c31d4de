import { useMemo, useState } from 'react';
import { Alert, Button, Group, List, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconDeviceFloppy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { isApiError } from '../../../lib/api/errors.ts';
import { useLabSteps, type LabOrder } from '../api/lab.ts';
import {
  criticalDrafts,
  draftKey,
  flagTone,
  initialDrafts,
  liveFlag,
  rangeParts,
  toEnterInput,
  type DraftValue,
} from '../lib/results.ts';
import { FlagMark } from './Badges.tsx';
import { answerLabel, isFrench, testName, unitLabel } from './labels.ts';

/**
 * The result entry of an order: one row per expected analyte (a number with its unit, one of a coded
 * test's answers, or text), the flag shown as the value is typed, from the patient's range. Tab goes from
 * value to value, Enter saves; critical values are marked and confirmed before they are saved.
 */
export function ResultEntryForm({ order, onSaved }: { order: LabOrder; onSaved?: () => void }) {
  const { t, i18n } = useTranslation('lab');
  const steps = useLabSteps();
  const [drafts, setDrafts] = useState<Record<string, DraftValue>>(() => initialDrafts(order));
  const [problems, setProblems] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const criticals = useMemo(() => criticalDrafts(order, drafts), [order, drafts]);
  const fr = isFrench(i18n.resolvedLanguage);
  // the first value still to enter takes the focus when the form opens
  const firstKey = order.items
    .flatMap((item) => item.expected.map((e) => ({ item, e })))
    .find(({ item, e }) => (item.results.find((r) => r.testId === e.testId)?.status ?? 'entered') === 'entered');
  const autoFocusKey = firstKey ? draftKey(firstKey.item.id, firstKey.e.testId) : null;

  const set = (key: string, patch: Partial<DraftValue>) => {
    setDrafts((d) => ({ ...d, [key]: { ...(d[key] ?? { value: '', comment: '' }), ...patch } }));
    setProblems((p) => {
      if (!p.has(key)) return p;
      const next = new Set(p);
      next.delete(key);
      return next;
    });
  };

  const save = (confirmed: boolean) => {
    const { input, problems: found } = toEnterInput(order, drafts);
    if (found.length) {
      setProblems(new Set(found.map((p) => p.key)));
      setError(t('entry.notANumber'));
      return;
    }
    if (!input) {
      setError(t('entry.nothing'));
      return;
    }
    if (criticals.length > 0 && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setError(null);
    steps.enter.mutate(
      { orderId: order.id, body: input },
      {
        onSuccess: () => {
          notifySuccess(t('entry.saved', { count: input.results.length }));
          onSaved?.();
        },
        onError: (err) => {
          if (isApiError(err)) {
            // the server names the value it refused: results/<i>/valueNumeric
            const rows = err.fieldIssues.flatMap((i) => {
              const index = /^results[/.](\d+)/.exec(i.field)?.[1];
              const row = index === undefined ? undefined : input.results[Number(index)];
              return row ? [draftKey(row.orderItemId, row.testId)] : [];
            });
            if (rows.length) setProblems(new Set(rows));
          }
          setError(errorMessage(err, t));
        },
      },
    );
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
      aria-label={t('entry.title', { number: order.number })}
      data-testid="lab-entry-form"
    >
      <Stack gap="xs">
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} horizontalSpacing="xs" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entry.test')}</Table.Th>
                <Table.Th w={190}>{t('entry.value')}</Table.Th>
                <Table.Th w={70}>{t('entry.flag')}</Table.Th>
                <Table.Th>{t('entry.range')}</Table.Th>
                <Table.Th>{t('entry.comment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.items.flatMap((item) => [
                // a panel's analytes under its name
                ...(item.kind === 'panel'
                  ? [
                      <Table.Tr key={`panel-${item.id}`}>
                        <Table.Th colSpan={5} bg="gray.0" fz="sm">
                          {testName(item, i18n.resolvedLanguage)}
                        </Table.Th>
                      </Table.Tr>,
                    ]
                  : []),
                ...item.expected.map((e) => {
                  const key = draftKey(item.id, e.testId);
                  const draft = drafts[key] ?? { value: '', comment: '' };
                  const existing = item.results.find((r) => r.testId === e.testId);
                  const locked = !!existing && existing.status !== 'entered';
                  const flag = locked ? existing.flag : liveFlag(e, draft.value);
                  const tone = flagTone(flag);
                  const range = rangeParts(e.range);
                  const inputId = `lab-value-${key}`;
                  const invalid = problems.has(key);
                  return (
                    <Table.Tr
                      key={key}
                      data-testid="lab-entry-row"
                      data-code={e.code}
                      style={tone.critical ? { background: 'var(--mantine-color-red-0)' } : undefined}
                    >
                      <Table.Td>
                        <Text size="sm" fw={500} component="label" htmlFor={inputId}>
                          {testName(e, i18n.resolvedLanguage)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {e.code}
                          {locked ? ` · ${t(`resultStatus.${existing.status}`)}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {e.resultType === 'coded' ? (
                          <NativeSelect
                            id={inputId}
                            size="xs"
                            disabled={locked}
                            autoFocus={key === autoFocusKey}
                            value={draft.value}
                            onChange={(ev) => set(key, { value: ev.currentTarget.value })}
                            data={[
                              { value: '', label: '—' },
                              ...e.answers.map((a) => ({ value: a.code, label: fr ? a.fr : a.en })),
                            ]}
                            error={invalid}
                            data-testid="lab-value"
                          />
                        ) : (
                          <TextInput
                            id={inputId}
                            size="xs"
                            disabled={locked}
                            autoFocus={key === autoFocusKey}
                            value={draft.value}
                            inputMode={e.resultType === 'numeric' ? 'decimal' : undefined}
                            autoComplete="off"
                            onChange={(ev) => set(key, { value: ev.currentTarget.value })}
                            rightSection={
                              e.unit ? (
                                <Text size="xs" c="dimmed" pr={4}>
                                  {unitLabel(e.unit)}
                                </Text>
                              ) : undefined
                            }
                            rightSectionWidth={e.unit ? Math.max(40, e.unit.length * 7 + 12) : undefined}
                            error={invalid}
                            aria-invalid={invalid || undefined}
                            aria-describedby={`${inputId}-flag`}
                            styles={
                              tone.critical
                                ? { input: { fontWeight: 700, borderColor: 'var(--mantine-color-red-7)' } }
                                : undefined
                            }
                            data-testid="lab-value"
                          />
                        )}
                      </Table.Td>
                      <Table.Td id={`${inputId}-flag`} aria-live="polite">
                        <FlagMark flag={flag} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {e.resultType === 'coded' && e.range?.normalCodes?.length
                            ? e.range.normalCodes.map((c) => answerLabel(e.answers, c, i18n.resolvedLanguage)).join(', ')
                            : (range.normal ?? t('entry.noRange'))}
                        </Text>
                        {range.critical && (
                          <Text size="xs" c="red.9">
                            {t('entry.criticalRange', { limits: range.critical })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          aria-label={t('entry.commentOf', { name: testName(e, i18n.resolvedLanguage) })}
                          disabled={locked}
                          value={draft.comment}
                          autoComplete="off"
                          onChange={(ev) => set(key, { comment: ev.currentTarget.value })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                }),
              ])}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {criticals.length > 0 && (
          <Alert
            color="red"
            variant="light"
            py={6}
            icon={<IconAlertTriangle size={16} aria-hidden />}
            data-testid="lab-entry-critical"
          >
            <Text size="sm" fw={700}>
              {t('entry.criticalNotice', { count: criticals.length })}
            </Text>
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" py={6} role="alert">
            {error}
          </Alert>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {t('entry.keys')}
          </Text>
          <Button
            type="submit"
            size="xs"
            leftSection={<IconDeviceFloppy size={14} aria-hidden />}
            loading={steps.enter.isPending}
            data-testid="lab-entry-save"
          >
            {t('entry.save')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('entry.confirmTitle')}>
        <Stack>
          <Text size="sm">{t('entry.confirmIntro')}</Text>
          <List size="sm" data-testid="lab-critical-confirm-list">
            {criticals.map((c) => (
              <List.Item key={c.key}>
                <b>{testName(c, i18n.resolvedLanguage)}</b>: {c.value} — {t(`flag.${c.flag}`)}
              </List.Item>
            ))}
          </List>
          <Text size="sm">{t('entry.confirmOutro')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('entry.confirmBack')}
            </Button>
            <Button
              color="red"
              onClick={() => save(true)}
              loading={steps.enter.isPending}
              data-autofocus
              data-testid="lab-critical-confirm"
            >
              {t('entry.confirmSave')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
