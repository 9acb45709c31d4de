import { Badge } from '@mantine/core';
import { IconAmbulance, IconBabyCarriage, IconOld, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TicketPriority } from '../api/queue.ts';

const LOOK: Record<TicketPriority, { color: string; variant: 'filled' | 'light'; icon: typeof IconUser }> = {
  emergency: { color: 'red', variant: 'filled', icon: IconAmbulance },
  pregnant: { color: 'grape', variant: 'light', icon: IconBabyCarriage },
  elderly: { color: 'orange', variant: 'light', icon: IconOld },
  normal: { color: 'gray', variant: 'light', icon: IconUser },
};

/** Priority as text and icon, never by colour alone. */
export function PriorityBadge({ priority, size = 'sm' }: { priority: TicketPriority; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation('queue');
  const look = LOOK[priority];
  const Icon = look.icon;
  return (
    <Badge
      size={size}
      color={look.color}
      variant={look.variant}
      leftSection={<Icon size={12} aria-hidden />}
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {t(`queue.priority.${priority}`)}
    </Badge>
  );
}
