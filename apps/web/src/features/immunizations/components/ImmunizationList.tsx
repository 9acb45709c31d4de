import { useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconVaccine } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { IMMUNIZATION_ROUTES, IMMUNIZATION_SITES } from '@sanita/contracts/immunizations';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import {
  useCorrectImmunization,
  useEnteredInError,
  useImmunizations,
  type Immunization,
  type ImmunizationChange,
} from '../api/immunizations.ts';

/** Who gave it: the user who gave it here, or the name given for a vaccine given elsewhere. */
export function usePerformer() {
  const { t } = useTranslation('immunizations');
  return (i: Immunization) => i.performer?.name ?? i.performerName ?? (i.source === 'reported' ? t('sources.reported') : '—');
}

/** The patient's immunizations: date, vaccine, dose, lot, site, performer; each with its history and, for writers, correct / entered in error. */
export function ImmunizationList({ patientId, birthDate }: { patientId: string; birthDate: string }) {
  const { t } = useTranslation('immunizations');
  const f = useFormatters();
  const { can } = useAuth();
  const list = useImmunizations(patientId);
  const performer = usePerformer();
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ item: Immunization; mode: 'correct' | 'error' } | null>(null);

  if (list.error) return <QueryError error={list.error} onRetry={list.refetch} />;
  const rows = list.data?.data ?? [];
  if (!list.isLoading && !rows.length)
    return <EmptyState icon={<IconVaccine size={32} aria-hidden />} title={t('list.emptyTitle')} description={t('list.empty')} />;

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={t('list.caption')} data-testid="immunizations-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('columns.date')}</Table.Th>
              <Table.Th>{t('columns.vaccine')}</Table.Th>
              <Table.Th>{t('columns.dose')}</Table.Th>
              <Table.Th>{t('columns.lot')}</Table.Th>
              <Table.Th>{t('columns.site')}</Table.Th>
              <Table.Th>{t('columns.performer')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('columns.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((i) => {
              const struck = i.status === 'entered_in_error';
              const style = struck ? { textDecoration: 'line-through', opacity: 0.7 } : undefined;
              return [
                <Table.Tr key={i.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap', ...style }}>{f.date(i.occurredOn)}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm" fw={600} style={style}>
                        {i.vaccine}{' '}
                        <Text span ff="monospace" size="xs" c="dimmed">
                          CVX {i.cvxCode}
                        </Text>
                      </Text>
                      <Group gap={4}>
                        {struck && (
                          <Badge size="xs" color="red" variant="light">
                            {t('status.entered_in_error')}
                          </Badge>
                        )}
                        {i.source === 'reported' && (
                          <Badge size="xs" color="gray" variant="light">
                            {t('sources.reported')}
                          </Badge>
                        )}
                        {i.route && (
                          <Text size="xs" c="dimmed">
                            {t(`routes.${i.route}`)}
                          </Text>
                        )}
                      </Group>
                      {i.note && (
                        <Text size="xs" fs="italic" c="dimmed">
                          {i.note}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td style={style}>{i.doseNumber ?? '—'}</Table.Td>
                  <Table.Td style={style}>
                    <Text size="sm" ff="monospace">
                      {i.lotNumber ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td style={style}>{i.site ? t(`sites.${i.site}`) : '—'}</Table.Td>
                  <Table.Td style={style}>{performer(i)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-expanded={open === i.id}
                        onClick={() => setOpen(open === i.id ? null : i.id)}
                        aria-label={t('history.toggleFor', {
                          vaccine: i.vaccine,
                          date: f.date(i.occurredOn),
                          count: i.history.length,
                        })}
                      >
                        {t('history.toggle', { count: i.history.length })}
                      </Button>
                      {can('immunizations:write') && !struck && (
                        <>
                          <Button size="compact-xs" variant="light" onClick={() => setEditing({ item: i, mode: 'correct' })}>
                            {t('correct.button')}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setEditing({ item: i, mode: 'error' })}
                          >
                            {t('error.button')}
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>,
                open === i.id && (
                  <Table.Tr key={`${i.id}-history`}>
                    <Table.Td colSpan={7}>
                      <History changes={i.history} />
                    </Table.Td>
                  </Table.Tr>
                ),
              ];
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && (
        <ChangeDialog
          key={`${editing.item.id}-${editing.mode}`}
          patientId={patientId}
          birthDate={birthDate}
          item={editing.item}
          mode={editing.mode}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

/** Who changed what and when, oldest first. */
function History({ changes }: { changes: ImmunizationChange[] }) {
  const { t } = useTranslation('immunizations');
  const f = useFormatters();
  const value = (field: string, raw: unknown) => {
    if (raw === null || raw === undefined || raw === '') return '—';
    const v = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
    if (field === 'site') return t(`sites.${v}`);
    if (field === 'route') return t(`routes.${v}`);
    if (field === 'source') return t(`sources.${v}`);
    if (field === 'status') return t(`status.${v}`);
    if (field === 'occurredOn') return f.date(v);
    return v;
  };
  return (
    <Stack gap={4} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('history.title')}>
      {changes.map((c) => (
        <li key={c.version}>
          <Text size="xs">
            <Text span fw={600}>
              {t(`history.actions.${c.action}`)}
            </Text>{' '}
            — {f.dateTime(c.at)} · {c.by.name}
            {c.reason ? ` · « ${c.reason} »` : ''}
          </Text>
          {Object.entries(c.changes).map(([field, { from, to }]) => (
            <Text size="xs" c="dimmed" key={field} pl="md">
              {t(`fields.${field}`, { defaultValue: field })}: {value(field, from)} → {value(field, to)}
            </Text>
          ))}
        </li>
      ))}
    </Stack>
  );
}

interface CorrectionValues {
  occurredOn: string;
  lotNumber: string;
  site: string;
  route: string;
  doseNumber: number | '';
  note: string;
  reason: string;
}

/** Correct an immunization (the fields that change, and why) or mark it entered in error (why). */
function ChangeDialog({
  patientId,
  birthDate,
  item,
  mode,
  onClose,
}: {
  patientId: string;
  birthDate: string;
  item: Immunization;
  mode: 'correct' | 'error';
  onClose: () => void;
}) {
  const { t } = useTranslation('immunizations');
  const correct = useCorrectImmunization(patientId, item.id);
  const markError = useEnteredInError(patientId, item.id);
  const form = useForm<CorrectionValues>({
    initialValues: {
      occurredOn: item.occurredOn,
      lotNumber: item.lotNumber ?? '',
      site: item.site ?? '',
      route: item.route ?? '',
      doseNumber: item.doseNumber ?? '',
      note: item.note ?? '',
      reason: '',
    },
    validate: {
      reason: (v) => (mode === 'error' && !v.trim() ? t('form.required') : null),
      occurredOn: (v) =>
        v < birthDate ? t('form.beforeBirth') : v > new Date().toISOString().slice(0, 10) ? t('form.future') : null,
    },
  });
  const done = (message: string) => () => {
    notifySuccess(message);
    onClose();
  };
  const submit = form.onSubmit((v) => {
    if (mode === 'error') {
      markError.mutate(
        { version: item.version, reason: v.reason },
        { onSuccess: done(t('error.done')), onError: (err) => handleFormError(form, err, t) },
      );
      return;
    }
    correct.mutate(
      {
        version: item.version,
        occurredOn: v.occurredOn,
        lotNumber: v.lotNumber.trim() || null,
        site: (v.site || null) as never,
        route: (v.route || null) as never,
        doseNumber: v.doseNumber === '' ? null : v.doseNumber,
        note: v.note.trim() || null,
        ...(v.reason.trim() ? { reason: v.reason } : {}),
      },
      { onSuccess: done(t('correct.done')), onError: (err) => handleFormError(form, err, t) },
    );
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={mode === 'correct' ? t('correct.title', { vaccine: item.vaccine }) : t('error.title', { vaccine: item.vaccine })}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          {mode === 'correct' ? (
            <>
              <TextInput
                type="date"
                label={t('form.occurredOn')}
                key={form.key('occurredOn')}
                {...form.getInputProps('occurredOn')}
              />
              <TextInput label={t('form.lotNumber')} key={form.key('lotNumber')} {...form.getInputProps('lotNumber')} />
              <NumberInput
                label={t('form.doseNumber')}
                min={1}
                max={20}
                allowDecimal={false}
                key={form.key('doseNumber')}
                {...form.getInputProps('doseNumber')}
              />
              <NativeSelect
                label={t('form.site')}
                data={[{ value: '', label: '—' }, ...IMMUNIZATION_SITES.map((s) => ({ value: s, label: t(`sites.${s}`) }))]}
                key={form.key('site')}
                {...form.getInputProps('site')}
              />
              <NativeSelect
                label={t('form.route')}
                data={[{ value: '', label: '—' }, ...IMMUNIZATION_ROUTES.map((r) => ({ value: r, label: t(`routes.${r}`) }))]}
                key={form.key('route')}
                {...form.getInputProps('route')}
              />
              <Textarea label={t('form.note')} autosize minRows={1} key={form.key('note')} {...form.getInputProps('note')} />
            </>
          ) : (
            <Text size="sm">{t('error.help')}</Text>
          )}
          <Textarea
            label={t('form.reason')}
            withAsterisk={mode === 'error'}
            autosize
            minRows={2}
            key={form.key('reason')}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" color={mode === 'error' ? 'red' : undefined} loading={correct.isPending || markError.isPending}>
              {mode === 'correct' ? t('correct.submit') : t('error.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
