import { Group, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PRIORITY_RULES, priorityRefusal } from '@sanita/contracts/queue';
import { TICKET_PRIORITIES, type TicketPriority } from '../api/queue.ts';

/** What the priority rules need to know of the patient; null while unknown (nothing is disabled). */
export type PriorityPatient = { sex: string; age: number | null } | null;

/** Age in whole years on a local date (YYYY-MM-DD), or null when the birth date is unknown. */
export function ageOn(birthDate: string | null | undefined, today: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (!by || !bm || !bd || !ty || !tm || !td) return null;
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Whether the priority fits the patient (the server checks the same rule and answers 400 naming `priority`). */
export function priorityFits(priority: TicketPriority, patient: PriorityPatient): boolean {
  return !patient || priorityRefusal(priority, patient) === null;
}

/**
 * The priorities as radio buttons: one keystroke each with the arrow keys. A priority that does not
 * fit the patient (elderly under 60, pregnant for a man or outside 10–60) is disabled and says why.
 */
export function PriorityPicker({
  value,
  onChange,
  error,
  patient = null,
}: {
  value: TicketPriority;
  onChange: (value: TicketPriority) => void;
  error?: string;
  patient?: PriorityPatient;
}) {
  const { t } = useTranslation('queue');
  const refusals = TICKET_PRIORITIES.map((p) => ({ p, why: patient ? priorityRefusal(p, patient) : null }));
  const params = {
    min: PRIORITY_RULES.elderlyMinAge,
    age: patient?.age ?? '',
  };
  return (
    <Radio.Group label={t('queue.fields.priority')} value={value} onChange={(v) => onChange(v as TicketPriority)} error={error}>
      <Stack gap={4} mt={6}>
        <Group gap="md">
          {refusals.map(({ p, why }) => (
            <Radio
              key={p}
              value={p}
              label={t(`queue.priority.${p}`)}
              disabled={!!why}
              aria-describedby={why ? `priority-rule-${p}` : undefined}
            />
          ))}
        </Group>
        {refusals
          .filter((r) => r.why)
          .map(({ p, why }) => (
            <Text key={p} id={`priority-rule-${p}`} size="xs" c="dimmed">
              {t(`queue.priority.${p}`)} —{' '}
              {t(`queue.priorityRule.${why}`, {
                ...params,
                ...(p === 'pregnant' ? { min: PRIORITY_RULES.pregnantMinAge, max: PRIORITY_RULES.pregnantMaxAge } : {}),
              })}
            </Text>
          ))}
      </Stack>
    </Radio.Group>
  );
}
