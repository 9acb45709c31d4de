import { Anchor, Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useWorklistCounts, WORKLIST_STEPS } from '../api/lab.ts';

/** The lab technician's home panel: how many orders wait at each step of the worklist, live. */
export function LabHomePanel() {
  const { me } = useAuth();
  return me?.roles.includes('lab_technician') ? <Counts /> : null;
}

function Counts() {
  const { t } = useTranslation('lab');
  const { counts, urgent, error, pending } = useWorklistCounts();
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-lab" data-testid="home-lab">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Title order={2} size="h4" id="home-lab">
              {t('home.title')}
            </Title>
            {urgent > 0 && (
              <Badge color="red" variant="filled">
                {t('home.urgent', { count: urgent })}
              </Badge>
            )}
          </Group>
          <Anchor component={Link} to="/lab" size="sm">
            {t('home.open')}
          </Anchor>
        </Group>
        {error ? (
          <Text size="sm" c="red.9">
            {t('home.failed')}
          </Text>
        ) : pending ? (
          <Skeleton h={40} />
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
            {WORKLIST_STEPS.map((s) => (
              <Anchor key={s} component={Link} to={`/lab?step=${s}`} underline="never" data-testid={`home-lab-${s}`}>
                <Paper withBorder p="xs" radius="sm">
                  <Text size="xl" fw={700} c="dark">
                    {counts[s] ?? 0}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`step.${s}`)}
                  </Text>
                </Paper>
              </Anchor>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
