import { Alert, Badge, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ALERT_HEADINGS, type AlertCode } from '@sanita/clinical/medications';
import type { MedicationAlert } from '../api/medications.ts';

const COLOR = { contraindicated: 'red', major: 'red', moderate: 'orange', minor: 'blue' } as const;
const ICON = { contraindicated: IconAlertOctagon, major: IconAlertOctagon, moderate: IconAlertTriangle, minor: IconInfoCircle };

/** A reason counts when it holds at least three characters other than spaces (the contract's rule). */
export const reasonOk = (reason: string | undefined) => (reason ?? '').replace(/\s/g, '').length >= 3;

/**
 * The safety alerts of one item, most severe first: the heading, both drugs named, why and what to do,
 * the source; a blocking alert has the field for the reason to go ahead (shown to the pharmacist).
 */
export function AlertList({
  alerts,
  name,
  reasons,
  onReason,
  lang,
  readOnly,
}: {
  alerts: MedicationAlert[];
  name: string;
  reasons: Record<string, string>;
  onReason?: (key: string, reason: string) => void;
  /** the language of the alert texts: the user's */
  lang: 'en' | 'fr';
  readOnly?: boolean;
}) {
  const { t } = useTranslation('medications');
  if (alerts.length === 0) return null;
  return (
    <Stack gap={6} role="region" aria-label={t('alerts.region', { name })} data-testid="item-alerts">
      {alerts.map((a) => {
        const Icon = ICON[a.severity];
        const reason = reasons[a.key] ?? '';
        const missing = a.blocking && !reasonOk(reason);
        return (
          <Alert
            key={a.key}
            color={COLOR[a.severity]}
            variant={a.blocking ? 'light' : 'outline'}
            p="xs"
            icon={<Icon size={18} aria-hidden />}
            title={
              <Group gap={6} wrap="wrap">
                <Badge size="xs" color={COLOR[a.severity]} variant="filled" autoContrast>
                  {t(`severity.${a.severity}`)}
                </Badge>
                <Text span size="sm" fw={700}>
                  {(ALERT_HEADINGS[a.code as AlertCode] ?? a.title)[lang]}
                </Text>
                <Text span size="sm" fw={500}>
                  — {a.drugs.length >= 2 ? t('alerts.drugs', { a: a.drugs[0], b: a.drugs[1] }) : a.drugs[0]}
                </Text>
              </Group>
            }
            data-testid={`alert-${a.code}`}
            data-blocking={a.blocking || undefined}
          >
            <Stack gap={2}>
              <Text size="sm">
                <Text span fw={600} size="sm">
                  {t('alerts.why')}:
                </Text>{' '}
                {a.why[lang]}
              </Text>
              <Text size="sm">
                <Text span fw={600} size="sm">
                  {t('alerts.action')}:
                </Text>{' '}
                {a.action[lang]}
              </Text>
              <Text size="xs" c="dimmed">
                {t('alerts.source', { source: a.source.name[lang] })}
              </Text>
              {a.blocking &&
                (readOnly || !onReason ? (
                  reason && (
                    <Text size="sm" fw={500}>
                      {t('alerts.overridden', { reason })}
                    </Text>
                  )
                ) : (
                  <TextInput
                    size="xs"
                    mt={4}
                    label={t('alerts.reason')}
                    description={t('alerts.reasonHelp')}
                    withAsterisk
                    value={reason}
                    maxLength={500}
                    onChange={(e) => onReason(a.key, e.currentTarget.value)}
                    error={missing && reason.trim() !== '' ? t('alerts.blocking') : undefined}
                    data-testid="override-reason"
                  />
                ))}
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}
