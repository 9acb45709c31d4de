import { Badge } from '@mantine/core';
import { IconBan, IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  const look =
    outcome === 'success'
      ? { color: 'green', Icon: IconCheck }
      : outcome === 'denied'
        ? { color: 'orange', Icon: IconBan }
        : { color: 'red', Icon: IconX };
  return (
    <Badge variant="light" color={look.color} leftSection={<look.Icon size={12} aria-hidden />}>
      {t(`audit.outcome.${outcome}`, { defaultValue: outcome })}
    </Badge>
  );
}
