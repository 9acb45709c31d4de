import { Group, Radio } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TICKET_PRIORITIES, type TicketPriority } from '../api/queue.ts';

/** The four priorities as radio buttons: one keystroke each with the arrow keys. */
export function PriorityPicker({
  value,
  onChange,
  error,
}: {
  value: TicketPriority;
  onChange: (value: TicketPriority) => void;
  error?: string;
}) {
  const { t } = useTranslation('queue');
  return (
    <Radio.Group label={t('queue.fields.priority')} value={value} onChange={(v) => onChange(v as TicketPriority)} error={error}>
      <Group gap="md" mt={6}>
        {TICKET_PRIORITIES.map((p) => (
          <Radio key={p} value={p} label={t(`queue.priority.${p}`)} />
        ))}
      </Group>
    </Radio.Group>
  );
}
