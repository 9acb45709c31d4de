import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCalendarPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { ApiError } from '../../../lib/api/errors.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { issueMessage } from '../../../lib/validation.ts';
import { localName, useVisitTypes } from '../api/masterdata.ts';
import { useAvailability, usePutTemplates, type Template, type TemplateInput } from '../api/practitioners.ts';
import { templateIssue } from '../lib/fieldPaths.ts';

interface Row {
  key: number;
  weekday: string;
  startTime: string;
  endTime: string;
  slotMinutes: number | string;
  bufferMinutes: number | string;
  visitTypeIds: string[];
  validFrom: string | null;
  validTo: string | null;
}

let nextKey = 1;
const toRow = (t: Template): Row => ({
  key: nextKey++,
  weekday: String(t.weekday),
  startTime: t.startTime.slice(0, 5),
  endTime: t.endTime.slice(0, 5),
  slotMinutes: t.slotMinutes,
  bufferMinutes: t.bufferMinutes,
  visitTypeIds: t.visitTypeIds,
  validFrom: t.validFrom,
  validTo: t.validTo,
});

export function AvailabilityEditor({
  practitionerId,
  clinicId,
  canEdit,
}: {
  practitionerId: string;
  clinicId: string;
  canEdit: boolean;
}) {
  const availability = useAvailability(practitionerId, clinicId);
  if (availability.isPending) return <Skeleton h={200} />;
  if (availability.isError) return <QueryError error={availability.error} onRetry={() => void availability.refetch()} />;
  return (
    <TemplatesForm
      key={`${clinicId}:${availability.dataUpdatedAt}`}
      practitionerId={practitionerId}
      clinicId={clinicId}
      initial={availability.data.templates}
      canEdit={canEdit}
    />
  );
}

function TemplatesForm({
  practitionerId,
  clinicId,
  initial,
  canEdit,
}: {
  practitionerId: string;
  clinicId: string;
  initial: Template[];
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation('scheduling');
  const visitTypes = useVisitTypes();
  const save = usePutTemplates(practitionerId);
  const [rows, setRows] = useState<Row[]>(() =>
    [...initial].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime)).map(toRow),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const weekdays = ['1', '2', '3', '4', '5', '6', '7'].map((d) => ({ value: d, label: t(`availability.weekdays.${d}`) }));
  const vtOptions = (visitTypes.data ?? [])
    .filter((v) => v.active)
    .map((v) => ({ value: v.id, label: localName(v, i18n.resolvedLanguage) }));

  const setRow = (key: number, patch: Partial<Row>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setErrors({});
    setFormError(null);
  };
  const err = (index: number, field: string) => errors[`${index}.${field}`];

  const submit = () => {
    const local: Record<string, string> = {};
    rows.forEach((r, i) => {
      if (!r.startTime) local[`${i}.startTime`] = t('validation.required');
      if (!r.endTime) local[`${i}.endTime`] = t('validation.required');
      if (r.slotMinutes === '') local[`${i}.slotMinutes`] = t('validation.required');
    });
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const templates: TemplateInput[] = rows.map((r) => ({
      weekday: Number(r.weekday),
      startTime: r.startTime,
      endTime: r.endTime,
      slotMinutes: Number(r.slotMinutes),
      bufferMinutes: r.bufferMinutes === '' ? 0 : Number(r.bufferMinutes),
      visitTypeIds: r.visitTypeIds,
      validFrom: r.validFrom,
      validTo: r.validTo,
    }));
    save.mutate(
      { clinicId, templates },
      {
        onSuccess: () => notifySuccess(t('availability.saved')),
        onError: (e) => {
          const placed: Record<string, string> = {};
          const unplaced: string[] = [];
          if (e instanceof ApiError) {
            for (const issue of e.fieldIssues) {
              const where = templateIssue(issue.field);
              if (where)
                // an end time the schema accepts but the server refuses (no code): it is not after the start
                placed[`${where.row}.${where.field}`] =
                  where.field === 'endTime' && !issue.code ? t('availability.endAfterStart') : issueMessage(issue, t);
              else unplaced.push(`${issue.field}: ${issueMessage(issue, t)}`);
            }
          }
          setErrors(placed);
          if (Object.keys(placed).length === 0 || unplaced.length > 0) setFormError(unplaced.join(' · ') || errorMessage(e, t));
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      {formError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
          {formError}
        </Alert>
      )}
      {rows.length === 0 ? (
        <Paper p="md" withBorder style={{ borderStyle: 'dashed' }}>
          <Text fw={600}>{t('availability.emptyTitle')}</Text>
          <Text size="sm" c="dimmed">
            {canEdit ? t('availability.empty') : t('availability.readOnly')}
          </Text>
        </Paper>
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('availability.weekday')}</Table.Th>
                <Table.Th>{t('availability.start')}</Table.Th>
                <Table.Th>{t('availability.end')}</Table.Th>
                <Table.Th>{t('availability.slot')}</Table.Th>
                <Table.Th>{t('availability.buffer')}</Table.Th>
                <Table.Th>{t('availability.visitTypes')}</Table.Th>
                {canEdit && <Table.Th aria-label={t('common.actions')} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => {
                const n = i + 1;
                return (
                  <Table.Tr key={r.key} data-testid="template-row">
                    <Table.Td>
                      <Select
                        aria-label={`${t('availability.weekday')} ${n}`}
                        data={weekdays}
                        value={r.weekday}
                        onChange={(v) => v && setRow(r.key, { weekday: v })}
                        allowDeselect={false}
                        disabled={!canEdit}
                        error={err(i, 'weekday')}
                        w={140}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        type="time"
                        aria-label={`${t('availability.start')} ${n}`}
                        value={r.startTime}
                        onChange={(e) => setRow(r.key, { startTime: e.currentTarget.value })}
                        disabled={!canEdit}
                        error={err(i, 'startTime')}
                        w={120}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        type="time"
                        aria-label={`${t('availability.end')} ${n}`}
                        value={r.endTime}
                        onChange={(e) => setRow(r.key, { endTime: e.currentTarget.value })}
                        disabled={!canEdit}
                        error={err(i, 'endTime')}
                        w={120}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`${t('availability.slot')} ${n}`}
                        value={r.slotMinutes}
                        onChange={(v) => setRow(r.key, { slotMinutes: v })}
                        min={5}
                        max={480}
                        step={5}
                        disabled={!canEdit}
                        error={err(i, 'slotMinutes')}
                        w={90}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`${t('availability.buffer')} ${n}`}
                        value={r.bufferMinutes}
                        onChange={(v) => setRow(r.key, { bufferMinutes: v })}
                        min={0}
                        max={240}
                        step={5}
                        disabled={!canEdit}
                        error={err(i, 'bufferMinutes')}
                        w={90}
                      />
                    </Table.Td>
                    <Table.Td>
                      <MultiSelect
                        aria-label={`${t('availability.visitTypes')} ${n}`}
                        placeholder={r.visitTypeIds.length === 0 ? t('availability.anyVisitType') : undefined}
                        data={vtOptions}
                        value={r.visitTypeIds}
                        onChange={(v) => setRow(r.key, { visitTypeIds: v })}
                        disabled={!canEdit}
                        error={err(i, 'visitTypeIds')}
                        miw={200}
                        clearable
                      />
                    </Table.Td>
                    {canEdit && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('availability.removeRow', { row: n })}
                          onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canEdit && (
        <Group justify="space-between">
          <Button
            variant="default"
            leftSection={<IconCalendarPlus size={16} aria-hidden />}
            onClick={() => {
              const last = rows[rows.length - 1];
              setRows((rs) => [
                ...rs,
                {
                  key: nextKey++,
                  weekday: last ? String((Number(last.weekday) % 7) + 1) : '1',
                  startTime: last?.startTime ?? '08:00',
                  endTime: last?.endTime ?? '12:00',
                  slotMinutes: last?.slotMinutes ?? 20,
                  bufferMinutes: last?.bufferMinutes ?? 0,
                  visitTypeIds: last?.visitTypeIds ?? [],
                  validFrom: null,
                  validTo: null,
                },
              ]);
            }}
          >
            {t('availability.addRow')}
          </Button>
          <Button onClick={submit} loading={save.isPending}>
            {t('availability.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function AvailabilityTitle() {
  const { t } = useTranslation('scheduling');
  return (
    <Stack gap={0}>
      <Title order={2} size="h4">
        {t('availability.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('availability.help')}
      </Text>
    </Stack>
  );
}
