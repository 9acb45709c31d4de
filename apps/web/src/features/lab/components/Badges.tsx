import { Badge, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabFlag, LabOrderStatus, LabPriority } from '../api/lab.ts';
import { flagTone } from '../lib/results.ts';

const STATUS_COLOR: Record<LabOrderStatus, string> = {
  ordered: 'gray',
  collected: 'cyan',
  received: 'indigo',
  in_progress: 'orange',
  completed: 'green',
  cancelled: 'red',
};

export function OrderStatusBadge({ status }: { status: LabOrderStatus }) {
  const { t } = useTranslation('lab');
  return (
    <Badge size="sm" variant="light" color={STATUS_COLOR[status]} data-testid="lab-order-status" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** Urgent and stat orders stand out (filled); routine ones say nothing. */
export function PriorityBadge({ priority, always = false }: { priority: LabPriority; always?: boolean }) {
  const { t } = useTranslation('lab');
  if (priority === 'routine' && !always) return null;
  const color = priority === 'stat' ? 'red' : priority === 'urgent' ? 'orange' : 'gray';
  return (
    <Badge size="sm" variant={priority === 'routine' ? 'light' : 'filled'} color={color} data-testid="lab-priority">
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/**
 * A result's flag: its letters with a colour, and its meaning for screen readers and on hover
 * (colour is never the only sign). Critical flags are bold.
 */
export function FlagMark({ flag }: { flag: LabFlag | null }) {
  const { t } = useTranslation('lab');
  if (!flag) return null;
  const tone = flagTone(flag);
  return (
    <Text
      span
      size="xs"
      fw={tone.critical ? 800 : 700}
      c={tone.color}
      title={t(`flag.${flag}`)}
      data-testid="lab-flag"
      data-flag={flag}
      style={{ whiteSpace: 'nowrap' }}
    >
      <span aria-hidden>{tone.critical ? `‼ ${flag}` : flag}</span>
      <VisuallyHidden>{t(`flag.${flag}`)}</VisuallyHidden>
    </Text>
  );
}
