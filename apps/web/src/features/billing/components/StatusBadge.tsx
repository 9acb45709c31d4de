import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InvoiceStatus } from '@sanita/contracts/billing';
import { STATUS_COLORS } from './format.ts';

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation('billing');
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" size="sm">
      {t(`status.${status}`)}
    </Badge>
  );
}
