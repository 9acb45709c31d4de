import type { ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import type { Entity } from '../api/history.ts';
import { RevisionsModal } from './RevisionsModal.tsx';

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

/**
 * The actions of one item of a list, each named with the item for a screen reader: Edit and the item's own
 * actions (`children`) while it may change, then its changes, then "entered in error".
 */
export function ItemActions({
  name,
  editable,
  onEdit,
  onChanges,
  onEnteredInError,
  children,
}: {
  name: string;
  /** the reader may write and the item is not entered in error */
  editable: boolean;
  onEdit: () => void;
  onChanges: () => void;
  onEnteredInError: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation('history');
  return (
    <Group gap={2} wrap="nowrap">
      {editable && (
        <>
          <Button size="compact-xs" variant="subtle" onClick={onEdit} aria-label={`${t('common.edit')}: ${name}`}>
            {t('common.edit')}
          </Button>
          {children}
        </>
      )}
      <Button
        size="compact-xs"
        variant="subtle"
        color="gray"
        c="gray.8"
        onClick={onChanges}
        aria-label={`${t('common.changes')}: ${name}`}
      >
        {t('common.changes')}
      </Button>
      {editable && (
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          c="red.9"
          onClick={onEnteredInError}
          aria-label={`${t('common.enteredInError')}: ${name}`}
        >
          {t('common.enteredInError')}
        </Button>
      )}
    </Group>
  );
}

/** Under a list holding items entered in error: show them (struck through) or hide them again. */
export function ErrorsToggle({ count, shown, onToggle }: { count: number; shown: boolean; onToggle: () => void }) {
  const { t } = useTranslation('history');
  if (count === 0) return null;
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color="gray"
      c="gray.8"
      mt={4}
      onClick={onToggle}
      style={{ alignSelf: 'flex-start' }}
    >
      {shown ? t('common.hideErrors') : t('common.showErrors', { count })}
    </Button>
  );
}

/** Which item's changes are shown, and under what name. */
export type ShownChanges = { id: string; what: string } | null;

/** A list's two dialogs: the changes of one item, and the confirmation before one is marked entered in error. */
export function ItemDialogs({
  patientId,
  entity,
  changes,
  onCloseChanges,
  erroneous,
  onCloseErroneous,
  onConfirmErroneous,
  saving,
}: {
  patientId: string;
  entity: Entity;
  changes: ShownChanges;
  onCloseChanges: () => void;
  /** the name of the item about to be marked entered in error, or null */
  erroneous: string | null;
  onCloseErroneous: () => void;
  onConfirmErroneous: () => void;
  saving: boolean;
}) {
  return (
    <>
      <RevisionsModal
        patientId={patientId}
        entity={entity}
        id={changes?.id ?? null}
        what={changes?.what ?? ''}
        onClose={onCloseChanges}
      />
      <ConfirmEnteredInError
        what={erroneous ?? ''}
        opened={erroneous !== null}
        onClose={onCloseErroneous}
        loading={saving}
        onConfirm={onConfirmErroneous}
      />
    </>
  );
}
