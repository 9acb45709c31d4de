import { Group, Text } from '@mantine/core';

export function Logo({ size = 26 }: { size?: number }) {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="7" fill="#0b6e74" />
        <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
      </svg>
      <Text fw={700} size="lg" c="brand.9" style={{ letterSpacing: -0.3 }}>
        Sanita
      </Text>
    </Group>
  );
}
