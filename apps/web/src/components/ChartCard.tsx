import { Anchor, Group, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * A card of the chart's summary tab: a title, an optional link to the tab that holds the whole list
 * ("All vitals"), and a dense body. Every clinical feature's summary card uses it, so the summary reads as one.
 */
export function ChartCard({
  title,
  more,
  children,
  testId,
}: {
  title: string;
  more?: { to: string; label: string };
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper component="section" withBorder p="sm" radius="md" aria-label={title} data-testid={testId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h5">
            {title}
          </Title>
          {more && (
            <Anchor component={Link} to={more.to} size="xs">
              {more.label}
            </Anchor>
          )}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
