import { SimpleGrid } from '@mantine/core';
import { createElement } from 'react';
import { chartParts } from '../../../app/parts.ts';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';

/** The chart's first tab: a card per clinical domain (latest vitals, problems, allergies, recent encounters…). */
export function SummarySection({ patient }: ChartPartProps) {
  const { can } = useAuth();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {chartParts(can).summary.map((part) => createElement(part.component, { key: part.key, patient }))}
    </SimpleGrid>
  );
}
