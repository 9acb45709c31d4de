import { Group, Radio, Select, SimpleGrid, Text, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ServicePoint } from '../api/queue.ts';
import { roomLabel } from '../lib/time.ts';

/** The demo's service points as seeded (server seed/queue.ts): shown in the UI's language while not renamed. */
const SEEDED_NAMES: Record<string, string> = {
  TRIAGE: 'Triage',
  CONSULT1: 'Consultation 1',
  CONSULT2: 'Consultation 2',
  LAB: 'Laboratory',
  PHARMACY: 'Pharmacy',
  CASHIER: 'Cashier',
};

/** A service point's name in the UI's language when it is a seeded one an administrator has not renamed. */
export function servicePointName(sp: Pick<ServicePoint, 'name' | 'code'>, t: TFunction): string {
  return SEEDED_NAMES[sp.code] === sp.name ? t(`servicePoints.seeded.${sp.code}`, { defaultValue: sp.name }) : sp.name;
}

export function servicePointLabel(sp: Pick<ServicePoint, 'name' | 'code' | 'room' | 'ticketPrefix'>, t?: TFunction): string {
  const name = t ? servicePointName(sp, t) : sp.name;
  return sp.room ? `${name} · ${sp.room} (${sp.ticketPrefix})` : `${name} (${sp.ticketPrefix})`;
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
        .map((sp) => ({ value: sp.id, label: servicePointLabel(sp, t) }))}
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('queue.noServicePointMatch')}
      {...props}
    />
  );
}

/** Up to this many active service points are shown as radio cards; more fall back to a select. */
const RADIOS_UP_TO = 8;

/**
 * The service point of a check-in or walk-in: every choice visible at once as radio cards (two
 * columns), so that no dropdown covers the priority and the submit button below; a long list falls
 * back to the select, whose dropdown opens on click only and stays within the dialog's viewport.
 */
export function ServicePointChoice({
  servicePoints,
  value,
  onChange,
  error,
  autoFocus,
}: {
  servicePoints: ServicePoint[];
  value: string | null;
  onChange: (id: string) => void;
  error?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('queue');
  const active = servicePoints.filter((sp) => sp.active);
  if (active.length > RADIOS_UP_TO)
    return (
      <ServicePointSelect
        servicePoints={active}
        value={value}
        onChange={(v) => v && onChange(v)}
        error={error}
        searchable={false}
        comboboxProps={{ withinPortal: true, position: 'bottom', middlewares: { flip: true, shift: true }, zIndex: 400 }}
        maxDropdownHeight={220}
        data-autofocus={autoFocus || undefined}
      />
    );
  return (
    <Radio.Group label={t('queue.fields.servicePoint')} value={value ?? ''} onChange={onChange} error={error}>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt={6}>
        {active.map((sp, i) => (
          <Radio.Card
            key={sp.id}
            value={sp.id}
            p="xs"
            radius="md"
            data-autofocus={autoFocus && (value ? sp.id === value : i === 0) ? true : undefined}
          >
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Radio.Indicator mt={2} />
              <div>
                <Text size="sm" fw={600} lh={1.3}>
                  {servicePointName(sp, t)}
                </Text>
                {sp.room && (
                  <Text size="xs" c="dimmed">
                    {roomLabel(sp.room, t)}
                  </Text>
                )}
              </div>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
