import {
  ActionIcon,
  Anchor,
  Badge,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconStar, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  DOSE_UNITS,
  MEDICATION_ROUTES,
  QUANTITY_UNITS,
  type DoseUnit,
  type MedicationRoute,
} from '@sanita/contracts/medications';
import type { MedicationAlert } from '../api/medications.ts';
import { recompute, type DraftItem, type Lang } from '../lib/items.ts';
import { AlertList } from './AlertList.tsx';
import { FrequencyField } from './FrequencyField.tsx';

/**
 * One medication of the prescription being written: dose and unit, route, frequency, days, the quantity
 * computed from them (editable), refills, substitution, the instructions written in the prescription's
 * language (editable), and the item's safety alerts with the reasons to go ahead.
 */
export function ItemEditor({
  item,
  index,
  onChange,
  onRemove,
  onFavourite,
  alerts,
  unrecognised,
  lang,
  uiLang,
}: {
  item: DraftItem;
  index: number;
  onChange: (item: DraftItem) => void;
  onRemove: () => void;
  onFavourite?: () => void;
  alerts: MedicationAlert[];
  unrecognised: boolean;
  /** the prescription's language (instructions) */
  lang: Lang;
  /** the user's language (alerts) */
  uiLang: Lang;
}) {
  const { t } = useTranslation('medications');
  const id = `rx-${item.key}`;
  const change = (patch: Partial<DraftItem>) => onChange(recompute({ ...item, ...patch }, lang));
  const label = t('item.label', { n: index + 1, name: item.name });

  return (
    <Paper withBorder p="xs" radius="sm" component="section" aria-label={label} data-testid="rx-item">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
            <Text fw={700} size="sm">
              {index + 1}. {item.name}
            </Text>
            {(item.strength || item.form) && (
              <Text size="xs" c="dimmed">
                {[item.strength, item.form].filter(Boolean).join(' · ')}
              </Text>
            )}
            {!item.formularyItemId && (
              <Badge size="xs" variant="light" color="gray">
                {t('item.freeText')}
              </Badge>
            )}
          </Group>
          <Group gap={2} wrap="nowrap">
            {onFavourite && (
              <Tooltip label={t('item.favourite', { name: item.name })}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={onFavourite}
                  aria-label={t('item.favourite', { name: item.name })}
                >
                  <IconStar size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label={t('item.remove', { name: item.name })}>
              <ActionIcon
                variant="subtle"
                color="red"
                size="sm"
                onClick={onRemove}
                aria-label={t('item.remove', { name: item.name })}
              >
                <IconX size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        <Group gap="xs" align="flex-start" wrap="wrap">
          <TextInput
            size="xs"
            w={80}
            label={t('item.dose')}
            inputMode="decimal"
            value={item.doseAmount}
            onChange={(e) => change({ doseAmount: e.currentTarget.value })}
            id={`${id}-dose`}
            withAsterisk
          />
          <NativeSelect
            size="xs"
            w={140}
            label={t('item.doseUnit')}
            value={item.doseUnit}
            onChange={(e) => change({ doseUnit: e.currentTarget.value as DoseUnit })}
            data={DOSE_UNITS.map((u) => ({ value: u, label: t(`units.${u}`) }))}
          />
          <NativeSelect
            size="xs"
            w={140}
            label={t('item.route')}
            value={item.route ?? ''}
            onChange={(e) => change({ route: (e.currentTarget.value || null) as MedicationRoute | null })}
            data={[
              { value: '', label: t('item.routeNone') },
              ...MEDICATION_ROUTES.map((r) => ({ value: r, label: t(`routes.${r}`) })),
            ]}
          />
          <div style={{ flex: 1, minWidth: 300 }}>
            <Text size="xs" fw={500} mb={2} id={`${id}-freq`}>
              {t('frequency.label')}
            </Text>
            <FrequencyField value={item.frequency} onChange={(frequency) => change({ frequency })} lang={uiLang} idPrefix={id} />
          </div>
        </Group>

        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            size="xs"
            w={70}
            label={t('item.duration')}
            inputMode="numeric"
            value={item.durationDays}
            onChange={(e) => change({ durationDays: e.currentTarget.value })}
            withAsterisk
          />
          <TextInput
            size="xs"
            w={90}
            label={t('item.quantity')}
            inputMode="decimal"
            value={item.quantity}
            onChange={(e) => onChange({ ...item, quantity: e.currentTarget.value, quantityEdited: true })}
            withAsterisk
            data-testid="rx-quantity"
          />
          <TextInput
            size="xs"
            w={110}
            label={t('item.quantityUnit')}
            value={item.quantityUnit}
            list={`${id}-qunits`}
            onChange={(e) => onChange({ ...item, quantityUnit: e.currentTarget.value, quantityEdited: true })}
          />
          <datalist id={`${id}-qunits`}>
            {QUANTITY_UNITS.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
          <NumberInput
            size="xs"
            w={80}
            label={t('item.refills')}
            min={0}
            max={12}
            allowDecimal={false}
            value={item.refills}
            onChange={(v) => onChange({ ...item, refills: Math.min(12, Math.max(0, Number(v) || 0)) })}
          />
          <Checkbox
            size="xs"
            mb={6}
            label={t('item.substitution')}
            checked={item.substitutionAllowed}
            onChange={(e) => onChange({ ...item, substitutionAllowed: e.currentTarget.checked })}
          />
          <Text size="xs" c="dimmed" mb={6}>
            {item.quantityEdited ? (
              <>
                {t('item.quantityEdited')} ·{' '}
                <Anchor component="button" type="button" size="xs" onClick={() => change({ quantityEdited: false })}>
                  {t('item.quantityRecompute')}
                </Anchor>
              </>
            ) : item.quantity ? (
              t('item.quantityComputed')
            ) : (
              t('item.quantityUnknown')
            )}
          </Text>
        </Group>

        <Textarea
          size="xs"
          label={t('item.instructions')}
          description={
            item.instructionsEdited ? (
              <Anchor component="button" type="button" size="xs" onClick={() => change({ instructionsEdited: false })}>
                {t('item.instructionsRewrite')}
              </Anchor>
            ) : (
              t('item.instructionsHelp')
            )
          }
          autosize
          minRows={1}
          maxRows={4}
          maxLength={1000}
          value={item.instructions}
          onChange={(e) => onChange({ ...item, instructions: e.currentTarget.value, instructionsEdited: true })}
          data-testid="rx-instructions"
        />
        {unrecognised && (
          <Text size="xs" c="orange.8">
            {t('item.notChecked')}
          </Text>
        )}
        <AlertList
          alerts={alerts}
          name={item.name}
          reasons={item.overrides}
          onReason={(key, reason) => onChange({ ...item, overrides: { ...item.overrides, [key]: reason } })}
          lang={uiLang}
        />
      </Stack>
    </Paper>
  );
}
