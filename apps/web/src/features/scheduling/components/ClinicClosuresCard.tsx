import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCalendarOff, IconTrash } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { ApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { issueMessage } from '../../../lib/validation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { exceptionSpan } from '../lib/calendar.ts';
import {
  useClinicClosures,
  useCreateException,
  useDeleteException,
  type AvailabilityException,
  type ExceptionKind,
} from '../api/practitioners.ts';

const CLINIC_KINDS = ['holiday', 'closure'] as const satisfies readonly ExceptionKind[];
type ClinicKind = (typeof CLINIC_KINDS)[number];

/** Holidays and closures of the active clinic: no practitioner there is bookable meanwhile (settings:write). */
export function ClinicClosuresCard() {
  const { t, i18n } = useTranslation('scheduling');
  const { activeClinic } = useAuth();
  const clinicId = activeClinic?.id ?? null;
  const timezone = activeClinic?.timezone ?? 'UTC';
  const closures = useClinicClosures(clinicId);
  const remove = useDeleteException();
  const [adding, setAdding] = useState(false);
  const locale = i18n.resolvedLanguage ?? 'en';

  const when = (x: AvailabilityException) => exceptionSpan(x, timezone, locale);

  if (!activeClinic) return null;
  return (
    <Paper p="md" withBorder>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h4">
              {t('clinicClosures.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('clinicClosures.description', { clinic: activeClinic.name })}
            </Text>
          </Stack>
          <Button variant="default" leftSection={<IconCalendarOff size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('clinicClosures.add')}
          </Button>
        </Group>
        {closures.isPending ? (
          <Skeleton h={80} />
        ) : closures.isError ? (
          <QueryError error={closures.error} onRetry={() => void closures.refetch()} />
        ) : closures.data.length === 0 ? (
          <EmptyState compact title={t('clinicClosures.emptyTitle')} description={t('clinicClosures.empty')} />
        ) : (
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('availability.exceptions.kind')}</Table.Th>
                <Table.Th>{t('clinicClosures.from')}</Table.Th>
                <Table.Th>{t('clinicClosures.to')}</Table.Th>
                <Table.Th>{t('availability.exceptions.reason')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {closures.data.map((x) => {
                const { from, to } = when(x);
                const kind = t(`availability.exceptions.kinds.${x.kind}`);
                return (
                  <Table.Tr key={x.id}>
                    <Table.Td>
                      <Badge variant="outline" color={x.kind === 'holiday' ? 'teal.9' : 'gray.7'}>
                        {kind}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{from}</Table.Td>
                    <Table.Td>{to}</Table.Td>
                    <Table.Td>{x.reason ?? '—'}</Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === x.id}
                        aria-label={t('availability.exceptions.removeLabel', { kind, from })}
                        onClick={() =>
                          remove.mutate(x.id, {
                            onSuccess: () => notifySuccess(t('availability.exceptions.removed')),
                            onError: (e) => notifyError(e, t),
                          })
                        }
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('clinicClosures.addTitle', { clinic: activeClinic.name })}
        centered
      >
        {adding && <ClosureForm clinicId={activeClinic.id} timezone={timezone} onClose={() => setAdding(false)} />}
      </Modal>
    </Paper>
  );
}

/** Whole days in the clinic's time: from the first day's midnight to the midnight after the last day. */
function ClosureForm({ clinicId, timezone, onClose }: { clinicId: string; timezone: string; onClose: () => void }) {
  const { t } = useTranslation('scheduling');
  const create = useCreateException();
  const tomorrow = dayjs().tz(timezone).add(1, 'day').format('YYYY-MM-DD');
  const [kind, setKind] = useState<ClinicKind>('holiday');
  const [from, setFrom] = useState(tomorrow);
  const [to, setTo] = useState(tomorrow);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const midnight = (day: string) => dayjs.tz(day, 'YYYY-MM-DD', timezone);

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local: Record<string, string> = {};
        if (!from) local.from = t('validation.required');
        if (!to) local.to = t('validation.required');
        else if (from && to < from) local.to = t('clinicClosures.toAfterFrom');
        setErrors(local);
        if (Object.keys(local).length > 0) return;
        create.mutate(
          {
            practitionerId: null,
            clinicId,
            kind,
            startsAt: midnight(from).format(),
            endsAt: midnight(to).add(1, 'day').format(),
            reason: reason.trim() || null,
          },
          {
            onSuccess: () => {
              notifySuccess(t('clinicClosures.added'));
              onClose();
            },
            onError: (err) => {
              // the API names startsAt/endsAt; the form asks for days
              const at: Record<string, string> = { startsAt: 'from', endsAt: 'to', kind: 'kind', reason: 'reason' };
              const placed: Record<string, string> = {};
              for (const i of err instanceof ApiError ? err.fieldIssues : []) {
                const field = at[i.field.replace(/^\//, '')];
                if (field) placed[field] = issueMessage(i, t);
              }
              if (Object.keys(placed).length > 0) setErrors(placed);
              else notifyError(err, t);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Select
          label={t('availability.exceptions.kind')}
          data={CLINIC_KINDS.map((k) => ({ value: k, label: t(`availability.exceptions.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as ClinicKind)}
          allowDeselect={false}
          error={errors.kind}
        />
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label={t('clinicClosures.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={errors.from}
            withAsterisk
          />
          <TextInput
            type="date"
            label={t('clinicClosures.to')}
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={errors.to}
            withAsterisk
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t('clinicClosures.wholeDays', { zone: timezone })}
        </Text>
        <TextInput
          label={t('availability.exceptions.reason')}
          placeholder={t('clinicClosures.reasonPlaceholder')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          maxLength={300}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
