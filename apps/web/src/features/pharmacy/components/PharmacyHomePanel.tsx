import { Anchor, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import { useWorklist } from '../api/pharmacy.ts';

/** The pharmacist's home panel: how many prescriptions wait to be dispensed at the clinic, live. */
export function PharmacyHomePanel() {
  const { t } = useTranslation('pharmacy');
  const f = useFormatters();
  const worklist = useWorklist();
  const rows = worklist.data;
  const oldest = rows?.reduce<string | null>((min, e) => (!min || e.signedAt < min ? e.signedAt : min), null) ?? null;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-pharmacy" data-testid="home-pharmacy">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="home-pharmacy">
            {t('home.title')}
          </Title>
          <Anchor component={Link} to="/pharmacy" size="sm">
            {t('home.open')}
          </Anchor>
        </Group>
        {worklist.error ? (
          <Text size="sm" c="red">
            {t('home.failed')}
          </Text>
        ) : !rows ? (
          <Skeleton h={28} w={220} />
        ) : (
          <Group gap="lg" wrap="wrap">
            <Text size="lg" fw={700} data-testid="home-pharmacy-waiting">
              {t('home.waiting', { count: rows.length })}
            </Text>
            {oldest && (
              <Text size="sm" c="dimmed">
                {t('home.oldest', { when: f.relative(oldest) })}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
