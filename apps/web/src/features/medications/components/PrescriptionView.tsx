import { Badge, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ALERT_HEADINGS, doseText, frequencyText, type AlertCode } from '@sanita/clinical/medications';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError } from '../../../lib/errors.ts';
import { useDownloadPrescription, type Prescription } from '../api/medications.ts';
import { PrescriptionStatusBadge } from './StatusBadge.tsx';

/** A prescription as signed: its status, who signed it when, each item with its instructions and overrides, the PDF. */
export function PrescriptionView({ prescription: p }: { prescription: Prescription }) {
  const { t, i18n } = useTranslation('medications');
  const f = useFormatters();
  const download = useDownloadPrescription();
  const lang = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
  const overrides = p.items.flatMap((i) => i.overrides.map((o) => ({ item: i.name, ...o })));
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="signed-prescription">
      <Stack gap={4}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <PrescriptionStatusBadge status={p.status} />
            {p.signedAt && (
              <Text size="xs" c="dimmed">
                {t('panel.signedAt', { at: f.dateTime(p.signedAt), by: p.prescriber.name })}
              </Text>
            )}
            {p.pregnant && (
              <Badge size="xs" color="grape" variant="light">
                {t('panel.pregnant')}
              </Badge>
            )}
            {p.breastfeeding && (
              <Badge size="xs" color="grape" variant="light">
                {t('panel.breastfeeding')}
              </Badge>
            )}
          </Group>
          {p.signedAt && (
            <Button
              size="compact-xs"
              variant="default"
              leftSection={<IconFileTypePdf size={14} aria-hidden />}
              onClick={() => void download(p).catch((err: unknown) => notifyError(err, t))}
            >
              {t('panel.pdf')}
            </Button>
          )}
        </Group>
        <List size="sm" spacing={2}>
          {p.items.map((i) => (
            <List.Item key={i.id}>
              <Text span size="sm" fw={600}>
                {i.name}
              </Text>{' '}
              <Text span size="sm">
                {doseText(i.dose, lang)}, {frequencyText(i.frequency, lang)}, {t('list.days', { count: i.durationDays })} ·{' '}
                {doseText({ amount: i.quantity, unit: i.quantityUnit }, lang)}
              </Text>
              {i.instructions && (
                <Text size="xs" c="dimmed">
                  {i.instructions}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
        {overrides.length > 0 && (
          <Stack gap={0}>
            <Text size="xs" fw={600}>
              {t('panel.overridesShown')}
            </Text>
            {overrides.map((o) => (
              <Text size="xs" key={`${o.item}|${o.key}`}>
                {(ALERT_HEADINGS[o.code as AlertCode] ?? o.title)[lang]} ({o.drugs.join(' + ')}): {o.reason}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
