import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Skeleton,
  Stack,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { IconBeach, IconTrash } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { ApiError } from '../../../lib/api/errors.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { issueMessage } from '../../../lib/validation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import {
  EXCEPTION_KINDS,
  useAvailability,
  useCreateException,
  useDeleteException,
  type ExceptionKind,
} from '../api/practitioners.ts';

export function ExceptionsCard({
  practitionerId,
  clinicId,
  timezone,
  canEdit,
}: {
  practitionerId: string;
  clinicId: string;
  timezone: string;
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation('scheduling');
  const availability = useAvailability(practitionerId, clinicId);
  const remove = useDeleteException();
  const [adding, setAdding] = useState(false);
  const fmt = (iso: string) =>
    dayjs(iso)
      .tz(timezone)
      .locale(i18n.resolvedLanguage ?? 'en')
      .format('ll HH:mm');

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('availability.exceptions.title')}
        </Title>
        {canEdit && (
          <Button variant="default" leftSection={<IconBeach size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('availability.exceptions.add')}
          </Button>
        )}
      </Group>
      {availability.isPending ? (
        <Skeleton h={80} />
      ) : availability.isError ? (
        <QueryError error={availability.error} onRetry={() => void availability.refetch()} />
      ) : availability.data.exceptions.length === 0 ? (
        <EmptyState compact title={t('availability.exceptions.emptyTitle')} description={t('availability.exceptions.empty')} />
      ) : (
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('availability.exceptions.kind')}</Table.Th>
              <Table.Th>{t('availability.exceptions.startsAt')}</Table.Th>
              <Table.Th>{t('availability.exceptions.endsAt')}</Table.Th>
              <Table.Th>{t('availability.exceptions.reason')}</Table.Th>
              {canEdit && <Table.Th aria-label={t('common.actions')} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {availability.data.exceptions.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td>
                  <Group gap={4}>
                    <Badge variant="light" color={x.kind === 'leave' ? 'grape' : 'gray'}>
                      {t(`availability.exceptions.kinds.${x.kind}`)}
                    </Badge>
                    {x.practitionerId === null && (
                      <Badge variant="outline" color="gray" size="sm">
                        {t('availability.exceptions.clinicWide')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{fmt(x.startsAt)}</Table.Td>
                <Table.Td>{fmt(x.endsAt)}</Table.Td>
                <Table.Td>{x.reason ?? '—'}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    {x.practitionerId !== null && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === x.id}
                        aria-label={t('availability.exceptions.removeLabel', {
                          kind: t(`availability.exceptions.kinds.${x.kind}`),
                          from: fmt(x.startsAt),
                        })}
                        onClick={() =>
                          remove.mutate(x.id, {
                            onSuccess: () => notifySuccess(t('availability.exceptions.removed')),
                            onError: (e) => notifyError(e, t),
                          })
                        }
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('availability.exceptions.addTitle')}
        centered
      >
        {adding && (
          <ExceptionForm
            practitionerId={practitionerId}
            clinicId={clinicId}
            timezone={timezone}
            onClose={() => setAdding(false)}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ExceptionForm({
  practitionerId,
  clinicId,
  timezone,
  onClose,
}: {
  practitionerId: string;
  clinicId: string;
  timezone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('scheduling');
  const create = useCreateException();
  const tomorrow = dayjs().tz(timezone).add(1, 'day').format('YYYY-MM-DD');
  const [kind, setKind] = useState<ExceptionKind>('leave');
  const [startsAt, setStartsAt] = useState(`${tomorrow}T00:00`);
  const [endsAt, setEndsAt] = useState(`${tomorrow}T23:59`);
  const [reason, setReason] = useState('');
  const [everyClinic, setEveryClinic] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const toIso = (v: string) => dayjs.tz(v, 'YYYY-MM-DDTHH:mm', timezone).format();

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local: Record<string, string> = {};
        if (!startsAt) local.startsAt = t('validation.required');
        if (!endsAt) local.endsAt = t('validation.required');
        setErrors(local);
        if (Object.keys(local).length > 0) return;
        create.mutate(
          {
            practitionerId,
            clinicId: everyClinic ? null : clinicId,
            kind,
            startsAt: toIso(startsAt),
            endsAt: toIso(endsAt),
            reason: reason.trim() || null,
          },
          {
            onSuccess: () => {
              notifySuccess(t('availability.exceptions.added'));
              onClose();
            },
            onError: (err) => {
              const issues = err instanceof ApiError ? err.fieldIssues : [];
              const placed: Record<string, string> = {};
              for (const i of issues) placed[i.field.replace(/^\//, '')] = issueMessage(i, t);
              if (Object.keys(placed).some((k) => ['kind', 'startsAt', 'endsAt', 'reason'].includes(k))) setErrors(placed);
              else notifyError(err, t);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Select
          label={t('availability.exceptions.kind')}
          data={EXCEPTION_KINDS.filter((k) => k === 'leave' || k === 'other').map((k) => ({
            value: k,
            label: t(`availability.exceptions.kinds.${k}`),
          }))}
          value={kind}
          onChange={(v) => v && setKind(v as ExceptionKind)}
          allowDeselect={false}
          error={errors.kind}
        />
        <TextInput
          type="datetime-local"
          label={t('availability.exceptions.startsAt')}
          description={timezone}
          value={startsAt}
          onChange={(e) => setStartsAt(e.currentTarget.value)}
          error={errors.startsAt}
          withAsterisk
        />
        <TextInput
          type="datetime-local"
          label={t('availability.exceptions.endsAt')}
          value={endsAt}
          onChange={(e) => setEndsAt(e.currentTarget.value)}
          error={errors.endsAt}
          withAsterisk
        />
        <TextInput
          label={t('availability.exceptions.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          maxLength={300}
        />
        <Checkbox
          label={t('availability.exceptions.everyClinic')}
          checked={everyClinic}
          onChange={(e) => setEveryClinic(e.currentTarget.checked)}
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
