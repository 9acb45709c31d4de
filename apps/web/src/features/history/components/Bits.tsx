import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';

/** Who recorded an item and who changed it last, when: one dimmed line. */
export function Stamp({
  item,
}: {
  item: { version: number; createdAt: string; createdBy: { name: string }; updatedAt: string; updatedBy: { name: string } };
}) {
  const { t } = useTranslation('history');
  const f = useFormatters();
  return (
    <Text size="xs" c="dimmed">
      {t('common.recorded', { date: f.dateTime(item.createdAt), name: item.createdBy.name })}
      {item.version > 1 && <> · {t('common.updated', { date: f.dateTime(item.updatedAt), name: item.updatedBy.name })}</>}
    </Text>
  );
}

/** A status as a small outlined label in the darkest shade: readable on a striped row, never truncated. */
export function StatusBadge({ label, color }: { label: string; color: string }) {
  const shade = color === 'gray' ? 'gray.8' : `${color}.9`;
  return (
    <Text
      span
      size="xs"
      fw={700}
      c={shade}
      style={{ border: '1px solid currentColor', borderRadius: 4, padding: '1px 6px', whiteSpace: 'nowrap' }}
    >
      {label}
    </Text>
  );
}

/** Asks before an item is marked entered in error (it stays in the record). */
export function ConfirmEnteredInError({
  what,
  opened,
  onClose,
  onConfirm,
  loading,
}: {
  what: string;
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  loading?: boolean;
}) {
  const { t } = useTranslation('history');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('common.markEnteredInError')}
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
    >
      <Stack gap="md">
        <Text size="sm">{t('common.confirmEnteredInError', { what })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={onConfirm} loading={loading} data-autofocus>
            {t('common.markEnteredInError')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The footer of the history's forms: Cancel, then Save (busy while the change is sent). */
export function FormActions({ onCancel, saving }: { onCancel: () => void; saving: boolean }) {
  const { t } = useTranslation('history');
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={saving}>
        {t('common.save')}
      </Button>
    </Group>
  );
}
