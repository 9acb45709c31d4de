import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { instructionsText } from '@sanita/clinical/medications';
import type { WorklistItem } from '../api/pharmacy.ts';

/** The UI language as the dosing wording knows it. */
export const langOf = (language: string | undefined): 'en' | 'fr' => (language?.startsWith('fr') ? 'fr' : 'en');

/** The instructions in words ("Take 1 tablet three times a day for 7 days"), in the UI language. */
export function useDoseInWords() {
  const { i18n } = useTranslation();
  const lang = langOf(i18n.resolvedLanguage);
  return (item: WorklistItem) =>
    instructionsText({ dose: item.dose, frequency: item.frequency, durationDays: item.durationDays, route: item.route }, lang);
}

/** Stock of the prescribed product (not substitutes) the clinic can dispense now. */
export const prescribedAvailable = (item: WorklistItem) =>
  item.stock.filter((s) => !s.substitute).reduce((n, s) => n + s.available, 0);

/** One item of a prescription on the worklist: what, how (in words), how much is left, stock, overrides. */
export function WorklistItemRow({ item }: { item: WorklistItem }) {
  const { t, i18n } = useTranslation('pharmacy');
  const words = useDoseInWords();
  const lang = langOf(i18n.resolvedLanguage);
  const available = prescribedAvailable(item);
  const done = item.remaining === 0;
  return (
    <Stack gap={2} data-testid="worklist-item" style={{ opacity: done ? 0.6 : 1 }}>
      <Group gap="xs" wrap="wrap">
        <Text fw={600} size="sm">
          {item.name}
        </Text>
        <Text size="sm">{words(item) || t('item.noWords')}</Text>
      </Group>
      <Group gap="xs" wrap="wrap">
        <Text size="xs" c="dimmed">
          {t('item.quantity', { quantity: item.quantity, unit: item.quantityUnit })}
        </Text>
        {item.dispensed > 0 && (
          <Badge size="xs" variant="light" color={done ? 'green' : 'gray'}>
            {done ? t('item.done') : t('item.remaining', { remaining: item.remaining, dispensed: item.dispensed })}
          </Badge>
        )}
        {!done && (
          <Badge size="xs" variant="light" color={available >= item.remaining ? 'green' : 'red'}>
            {t('item.inStock', { count: available })}
          </Badge>
        )}
        {!item.substitutionAllowed && (
          <Badge size="xs" variant="outline" color="gray">
            {t('item.noSubstitution')}
          </Badge>
        )}
      </Group>
      {item.instructions && (
        <Text size="xs" fs="italic">
          {item.instructions}
        </Text>
      )}
      {item.overrides.map((o) => (
        <Alert
          key={o.key}
          color="red"
          variant="light"
          py={4}
          px="xs"
          icon={<IconAlertTriangle size={16} aria-hidden />}
          data-testid="worklist-override"
          styles={{ icon: { marginRight: 6 } }}
        >
          <Text size="xs">
            <Text span fw={700} size="xs">
              {t('item.overridden', { severity: t(`severity.${o.severity}`), title: o.title[lang] })}
            </Text>
            {' — '}
            {t('item.overrideReason', { reason: o.reason, name: o.by.name })}
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
