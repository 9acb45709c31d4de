import { useState } from 'react';
import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Shows only the last characters of a sensitive identifier until the user asks for all of it. */
export function MaskedValue({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const masked = `•••• ${value.slice(-4)}`;
  const action = shown ? t('common.hideValue', { label }) : t('common.showValue', { label });
  return (
    <Group gap={4} wrap="nowrap" component="span">
      <Text component="span" size="sm" ff="monospace" aria-live="polite">
        {shown ? value : masked}
      </Text>
      <Tooltip label={action}>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={action}
          aria-pressed={shown}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? <IconEyeOff size={14} aria-hidden /> : <IconEye size={14} aria-hidden />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
