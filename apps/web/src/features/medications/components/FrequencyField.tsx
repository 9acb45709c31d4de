import { useState } from 'react';
import { Checkbox, Chip, Group, NativeSelect, NumberInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FREQUENCY_KINDS, type FrequencyKind } from '@sanita/contracts/medications';
import { frequencyText } from '@sanita/clinical/medications';
import type { Frequency } from '../api/medications.ts';

const CHIPS = {
  p101: { kind: 'pattern', pattern: [1, 0, 1, 0], asNeeded: false },
  p111: { kind: 'pattern', pattern: [1, 1, 1, 0], asNeeded: false },
  p001: { kind: 'pattern', pattern: [0, 0, 1, 0], asNeeded: false },
  once_daily: { kind: 'times_per_day', times: 1, asNeeded: false },
  twice_daily: { kind: 'times_per_day', times: 2, asNeeded: false },
  thrice_daily: { kind: 'times_per_day', times: 3, asNeeded: false },
  q8h: { kind: 'every_hours', hours: 8, asNeeded: false },
  at_night: { kind: 'at_night', asNeeded: false },
  prn: { kind: 'times_per_day', times: 4, asNeeded: true, maxPerDay: 4 },
} satisfies Record<string, Frequency>;
type ChipId = keyof typeof CHIPS | 'custom';

function chipOf(f: Frequency): ChipId {
  if (f.asNeeded) return f.kind === 'times_per_day' ? 'prn' : 'custom';
  for (const [id, c] of Object.entries(CHIPS) as [keyof typeof CHIPS, Frequency][]) {
    if (c.asNeeded || c.kind !== f.kind) continue;
    if (f.kind === 'pattern' ? c.pattern!.join() === (f.pattern ?? []).join() : c.times === f.times && c.hours === f.hours)
      return id;
  }
  return 'custom';
}

const SLOTS = ['morning', 'midday', 'evening', 'night'] as const;
const int = (v: string | number, min: number, max: number) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : min;
};

/**
 * A structured frequency (one radio group: Tab reaches the chosen chip, arrows choose another): quick chips for the common schedules (1-0-1, 1-1-1, 0-0-1, once or twice daily,
 * every 8 h, at night, as needed with a maximum a day), and "Other…" for any schedule; what it means is
 * read back in words under it, in the user's language.
 */
export function FrequencyField({
  value,
  onChange,
  lang,
  idPrefix,
}: {
  value: Frequency;
  onChange: (f: Frequency) => void;
  lang: 'en' | 'fr';
  idPrefix: string;
}) {
  const { t } = useTranslation('medications');
  const chip = chipOf(value);
  const [custom, setCustom] = useState(chip === 'custom');
  const shown: ChipId = custom ? 'custom' : chip;

  const set = (patch: Partial<Frequency>) => onChange({ ...value, ...patch });
  const setKind = (kind: FrequencyKind) =>
    onChange({
      kind,
      asNeeded: value.asNeeded,
      maxPerDay: value.maxPerDay,
      ...(kind === 'times_per_day' ? { times: value.times ?? 3 } : {}),
      ...(kind === 'every_hours' ? { hours: value.hours ?? 8 } : {}),
      ...(kind === 'pattern' ? { pattern: value.pattern ?? [1, 0, 1, 0] } : {}),
    });

  return (
    <Stack gap={4}>
      <Chip.Group
        value={shown}
        onChange={(v) => {
          const id = v as ChipId;
          setCustom(id === 'custom');
          if (id !== 'custom') onChange(CHIPS[id]);
        }}
      >
        <Group gap={4} role="radiogroup" aria-label={t('frequency.label')}>
          {(Object.keys(CHIPS) as (keyof typeof CHIPS)[]).map((id) => (
            <Chip key={id} value={id} size="xs" radius="sm" id={`${idPrefix}-chip-${id}`} name={`${idPrefix}-frequency`}>
              {t(`frequency.chips.${id}`)}
            </Chip>
          ))}
          <Chip value="custom" size="xs" radius="sm" id={`${idPrefix}-chip-custom`} name={`${idPrefix}-frequency`}>
            {t('frequency.chips.custom')}
          </Chip>
        </Group>
      </Chip.Group>
      {(shown === 'custom' || shown === 'prn') && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          {shown === 'custom' && (
            <>
              <NativeSelect
                size="xs"
                label={t('frequency.kind')}
                value={value.kind}
                onChange={(e) => setKind(e.currentTarget.value as FrequencyKind)}
                data={FREQUENCY_KINDS.map((k) => ({ value: k, label: t(`frequency.kinds.${k}`) }))}
              />
              {value.kind === 'times_per_day' && (
                <NumberInput
                  size="xs"
                  w={90}
                  label={t('frequency.times')}
                  min={1}
                  max={12}
                  allowDecimal={false}
                  value={value.times ?? ''}
                  onChange={(v) => set({ times: int(v, 1, 12) })}
                />
              )}
              {value.kind === 'every_hours' && (
                <NumberInput
                  size="xs"
                  w={100}
                  label={t('frequency.hours')}
                  min={1}
                  max={72}
                  allowDecimal={false}
                  value={value.hours ?? ''}
                  onChange={(v) => set({ hours: int(v, 1, 72) })}
                />
              )}
              {value.kind === 'pattern' &&
                SLOTS.map((slot, i) => (
                  <NumberInput
                    key={slot}
                    size="xs"
                    w={72}
                    label={t(`frequency.slots.${slot}`)}
                    min={0}
                    max={10}
                    allowDecimal={false}
                    value={value.pattern?.[i] ?? 0}
                    onChange={(v) => {
                      const pattern = [...(value.pattern ?? [0, 0, 0, 0])];
                      pattern[i] = int(v, 0, 10);
                      set({ pattern });
                    }}
                  />
                ))}
              <Checkbox
                size="xs"
                mb={6}
                label={t('frequency.asNeeded')}
                checked={value.asNeeded}
                onChange={(e) =>
                  set({ asNeeded: e.currentTarget.checked, maxPerDay: e.currentTarget.checked ? (value.maxPerDay ?? 4) : null })
                }
              />
            </>
          )}
          {value.asNeeded && (
            <NumberInput
              size="xs"
              w={140}
              label={t('frequency.maxPerDay')}
              min={1}
              max={24}
              allowDecimal={false}
              value={value.maxPerDay ?? ''}
              onChange={(v) => {
                const max = int(v, 1, 24);
                set(value.kind === 'times_per_day' ? { maxPerDay: max, times: Math.min(12, max) } : { maxPerDay: max });
              }}
            />
          )}
        </Group>
      )}
      <Text size="xs" c="dimmed" aria-live="polite">
        {frequencyText(value, lang)}
      </Text>
    </Stack>
  );
}
