import { Badge, Group, Skeleton, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useAllergies } from '../api/history.ts';
import { activeAllergies, substanceLabel } from '../lib/text.ts';

/**
 * The allergies in the chart's banner, always in view: each active allergy in red (substance and
 * severity; a high criticality stands out, filled), or "No known allergies" as stated, or
 * "Allergies not recorded" in amber, so that nobody mistakes "never asked" for "none".
 */
export function AllergyBanner({ patient }: ChartPartProps) {
  const { t } = useTranslation('history');
  const allergies = useAllergies(patient.id);
  if (allergies.isLoading) return <Skeleton h={22} w={160} />;
  if (allergies.error)
    return (
      <Badge
        color="gray"
        variant="outline"
        data-testid="allergy-banner"
        data-state="unavailable"
        style={{ textTransform: 'none' }}
      >
        {t('banner.unavailable')}
      </Badge>
    );
  const list = allergies.data!;
  const active = activeAllergies(list.data);
  if (active.length)
    return (
      <Group gap={6} wrap="wrap" data-testid="allergy-banner" data-state="allergies" role="group" aria-label={t('banner.label')}>
        <Text span size="sm" fw={700} c="red.9">
          <IconAlertTriangle size={16} aria-hidden style={{ verticalAlign: -3, marginRight: 4 }} />
          {t('banner.allergies')}
        </Text>
        {active.map((a) => {
          const high = a.criticality === 'high';
          return (
            <Badge
              key={a.id}
              color="red.9"
              variant={high ? 'filled' : 'outline'}
              size="lg"
              radius="sm"
              style={{ textTransform: 'none' }}
              data-testid="allergy-badge"
              data-criticality={a.criticality}
            >
              {substanceLabel(a, t)}
              {a.severity && ` · ${t(`allergies.severities.${a.severity}`)}`}
              {high && (
                <Text span fw={800} size="xs" ml={6} style={{ textTransform: 'uppercase' }}>
                  {t('banner.highCriticality')}
                </Text>
              )}
            </Badge>
          );
        })}
      </Group>
    );
  if (list.noKnownAllergies)
    return (
      <Badge
        color="teal.9"
        variant="outline"
        size="lg"
        radius="sm"
        style={{ textTransform: 'none' }}
        data-testid="allergy-banner"
        data-state="nka"
      >
        {t('banner.noKnown')}
      </Badge>
    );
  return (
    <Badge
      color="yellow.3"
      c="dark.9"
      variant="filled"
      size="lg"
      radius="sm"
      style={{ textTransform: 'none' }}
      data-testid="allergy-banner"
      data-state="not-recorded"
    >
      {t('banner.notRecorded')}
    </Badge>
  );
}
