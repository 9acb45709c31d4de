import { useState } from 'react';
import {
  ActionIcon,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SHORTCUT_NAME_PATTERN } from '@sanita/contracts/notes';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useDeleteShortcut, useSaveShortcut, useShortcuts, type Shortcut } from '../api/notes.ts';

const NAME = new RegExp(SHORTCUT_NAME_PATTERN);

/** The organisation's text shortcuts (admin): add, change, delete. */
export function ShortcutsPage() {
  const { t } = useTranslation('notes');
  const shortcuts = useShortcuts();
  const remove = useDeleteShortcut();
  const [editing, setEditing] = useState<Shortcut | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Shortcut | null>(null);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('shortcuts.title')}
        description={t('shortcuts.intro')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('shortcuts.add')}
          </Button>
        }
      />
      {shortcuts.isPending ? (
        <Skeleton h={120} />
      ) : shortcuts.isError ? (
        <QueryError error={shortcuts.error} onRetry={() => void shortcuts.refetch()} />
      ) : shortcuts.data.data.length === 0 ? (
        <Text c="dimmed">{t('shortcuts.empty')}</Text>
      ) : (
        <Paper withBorder radius="md">
          <Table striped data-testid="shortcuts-table">
            <caption>
              <VisuallyHidden>{t('shortcuts.caption')}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('shortcuts.name')}</Table.Th>
                <Table.Th>{t('shortcuts.text')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('shortcuts.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shortcuts.data.data.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Text ff="monospace" fw={600} size="sm">
                      {s.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {s.text}
                    </Text>
                  </Table.Td>
                  <Table.Td w={90}>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => setEditing(s)}
                        aria-label={t('shortcuts.edit', { name: s.name })}
                      >
                        <IconPencil size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(s)}
                        aria-label={t('shortcuts.delete', { name: s.name })}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && <ShortcutForm shortcut={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title={deleting ? t('shortcuts.delete', { name: deleting.name }) : ''}
        closeButtonProps={{ 'aria-label': t('shortcuts.cancel') }}
      >
        <Stack>
          <Text size="sm">{deleting && t('shortcuts.deleteConfirm', { name: deleting.name })}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('shortcuts.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                deleting &&
                remove.mutate(deleting.id, {
                  onSuccess: () => {
                    setDeleting(null);
                    notifySuccess(t('shortcuts.deleted'));
                  },
                  onError: (err) => notifyError(err, t),
                })
              }
            >
              {t('shortcuts.delete', { name: deleting?.name ?? '' })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function ShortcutForm({ shortcut, onClose }: { shortcut: Shortcut | null; onClose: () => void }) {
  const { t } = useTranslation('notes');
  const save = useSaveShortcut();
  const [name, setName] = useState(shortcut?.name ?? '.');
  const [text, setText] = useState(shortcut?.text ?? '');
  const [errors, setErrors] = useState<{ name?: string; text?: string }>({});
  const submit = () => {
    const next: typeof errors = {};
    if (!NAME.test(name)) next.name = t('shortcuts.nameInvalid');
    if (!text.trim()) next.text = t('validation.required', { ns: 'translation' });
    setErrors(next);
    if (next.name || next.text) return;
    save.mutate(
      { id: shortcut?.id, name, text: text.trim() },
      {
        onSuccess: () => {
          notifySuccess(t('shortcuts.saved'));
          onClose();
        },
        onError: (err) => setErrors({ name: errorMessage(err, t) }),
      },
    );
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={shortcut ? t('shortcuts.edit', { name: shortcut.name }) : t('shortcuts.add')}
      closeButtonProps={{ 'aria-label': t('shortcuts.cancel') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack>
          <TextInput
            label={t('shortcuts.name')}
            description={t('shortcuts.nameHelp')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value.toLowerCase())}
            error={errors.name}
            maxLength={32}
            required
            data-autofocus
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Textarea
            label={t('shortcuts.text')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={errors.text}
            autosize
            minRows={3}
            maxLength={4000}
            required
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('shortcuts.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('shortcuts.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
