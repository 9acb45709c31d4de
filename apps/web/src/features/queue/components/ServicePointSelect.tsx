import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ServicePoint } from '../api/queue.ts';

export function servicePointLabel(sp: Pick<ServicePoint, 'name' | 'room' | 'ticketPrefix'>): string {
  return sp.room ? `${sp.name} · ${sp.room} (${sp.ticketPrefix})` : `${sp.name} (${sp.ticketPrefix})`;
}

/** Active service points of the clinic; `exclude` hides one (a transfer goes elsewhere). */
export function ServicePointSelect({
  servicePoints,
  exclude,
  ...props
}: Omit<SelectProps, 'data'> & { servicePoints: ServicePoint[]; exclude?: string }) {
  const { t } = useTranslation('queue');
  return (
    <Select
      label={t('queue.fields.servicePoint')}
      placeholder={t('queue.fields.servicePointPlaceholder')}
      data={servicePoints
        .filter((sp) => sp.active && sp.id !== exclude)
        .map((sp) => ({ value: sp.id, label: servicePointLabel(sp) }))}
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('queue.noServicePointMatch')}
      {...props}
    />
  );
}
