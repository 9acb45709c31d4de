import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import type { Encounter } from '../api/encounters.ts';
import { EncounterStatusBadge } from './EncounterStatusBadge.tsx';

/** The head of a consultation: its type, reason, practitioner, start (and end) and status. */
export function EncounterHeader({ encounter }: { encounter: Encounter }) {
  const { t } = useTranslation('encounters');
  const f = useFormatters();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="encounter-header">
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Title order={2} size="h4">
            {t('encounter.title')}
          </Title>
          <Badge
            variant="outline"
            color={encounter.type === 'emergency' ? 'red' : 'gray'}
            styles={{ root: { textTransform: 'none' } }}
          >
            {t(`types.${encounter.type}`)}
          </Badge>
          <EncounterStatusBadge status={encounter.status} />
        </Group>
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            {t('encounter.reason')}:{' '}
          </Text>
          {encounter.reason ?? (
            <Text span c="dimmed" fs="italic" size="sm">
              {t('encounter.noReason')}
            </Text>
          )}
        </Text>
        <Group gap="md" wrap="wrap">
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('encounter.practitioner')}:{' '}
            </Text>
            {encounter.practitioner?.name ?? t('encounter.noPractitioner')}
          </Text>
          <Text size="sm" c="dimmed">
            {t('encounter.startedAt', { time: f.dateTime(encounter.startedAt) })}
            {encounter.startedBy.name && encounter.startedBy.name !== encounter.practitioner?.name
              ? ` · ${t('encounter.startedBy', { name: encounter.startedBy.name })}`
              : ''}
          </Text>
          {encounter.endedAt && (
            <Text size="sm" c="dimmed">
              {t('encounter.endedAt', { time: f.dateTime(encounter.endedAt) })}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
