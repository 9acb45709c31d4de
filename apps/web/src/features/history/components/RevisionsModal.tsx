import { Group, List, Modal, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useRevisions, type Entity } from '../api/history.ts';

/** Where each kind's field names and value labels live in the strings. */
const FIELD_KEYS: Record<Entity, string> = { problem: 'problems.fields', allergy: 'allergies.fields', history: 'history.fields' };
/** Fields whose values are codes with a label. */
const VALUE_KEYS: Record<string, string> = {
  'problem.status': 'problems.status',
  'allergy.substanceCode': 'allergies.substances',
  'allergy.type': 'allergies.types',
  'allergy.category': 'allergies.categories',
  'allergy.manifestations': 'allergies.manifestations',
  'allergy.severity': 'allergies.severities',
  'allergy.criticality': 'allergies.criticalities',
  'allergy.verificationStatus': 'allergies.verification',
  'allergy.status': 'allergies.statuses',
  'history.relation': 'history.relations',
  'history.tobacco': 'history.tobacco',
  'history.alcohol': 'history.alcohol',
  'history.status': 'history.statuses',
};

function valueLabel(entity: Entity, field: string, value: unknown, t: TFunction, date: (d: string) => string): string {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return t('revisions.none');
  const key = VALUE_KEYS[`${entity}.${field}`];
  const one = (v: unknown) => (key ? t(`${key}.${String(v)}`, { defaultValue: String(v) }) : String(v));
  if (Array.isArray(value)) return value.map(one).join(', ');
  if (/Date$|^date$/.test(field) && typeof value === 'string') return date(value);
  return one(value);
}

/** Every version of an item: who changed which field from what to what, and when (the read is audited). */
export function RevisionsModal({
  patientId,
  entity,
  id,
  what,
  onClose,
}: {
  patientId: string;
  entity: Entity;
  id: string | null;
  what: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  const revisions = useRevisions(patientId, entity, id);
  return (
    <Modal
      opened={!!id}
      onClose={onClose}
      title={t('revisions.title', { what })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      {revisions.isLoading ? (
        <Skeleton h={120} />
      ) : revisions.error ? (
        <QueryError error={revisions.error} onRetry={() => void revisions.refetch()} />
      ) : !revisions.data?.length ? (
        <Text size="sm">{t('revisions.empty')}</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} data-testid="revisions">
          {revisions.data.map((r) => (
            <Timeline.Item
              key={r.version}
              title={
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {t(`revisions.actions.${r.action}`)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('revisions.version', { version: r.version })} · {f.dateTime(r.changedAt)} · {r.changedBy.name}
                  </Text>
                </Group>
              }
            >
              <Stack gap={0}>
                <List size="sm" spacing={0}>
                  {Object.entries(r.changes).map(([field, change]) => (
                    <List.Item key={field}>
                      <Text span size="sm" c="dimmed">
                        {t(`${FIELD_KEYS[entity]}.${field}`, { defaultValue: field })}:
                      </Text>{' '}
                      {r.version > 1 && (
                        <>
                          <Text span size="sm" td="line-through">
                            {valueLabel(entity, field, change.from, t, f.date)}
                          </Text>{' '}
                          →{' '}
                        </>
                      )}
                      <Text span size="sm">
                        {valueLabel(entity, field, change.to, t, f.date)}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </Stack>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Modal>
  );
}
