import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useFinishEncounter, type Encounter } from '../api/encounters.ts';

/**
 * Finishes a consultation in progress after a confirmation (the visit ends with it), then goes to the
 * practitioner's day. Nothing for a finished or cancelled one, or without encounters:write.
 */
export function FinishEncounterButton({ encounter }: { encounter: Encounter }) {
  const { t } = useTranslation('encounters');
  const { can } = useAuth();
  const navigate = useNavigate();
  const finish = useFinishEncounter();
  const [open, setOpen] = useState(false);
  if (encounter.status !== 'in_progress' || !can('encounters:write')) return null;
  return (
    <>
      <Button color="green" leftSection={<IconCircleCheck size={16} aria-hidden />} onClick={() => setOpen(true)}>
        {t('finish.button')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('finish.title')}
        closeButtonProps={{ 'aria-label': t('finish.cancel') }}
      >
        <Stack gap="md">
          <Text size="sm">{t('finish.text')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('finish.cancel')}
            </Button>
            <Button
              color="green"
              loading={finish.isPending}
              data-autofocus
              onClick={() =>
                finish.mutate(
                  { id: encounter.id, version: encounter.version },
                  {
                    onSuccess: () => {
                      setOpen(false);
                      notifySuccess(t('finish.finished'));
                      void navigate('/today');
                    },
                    onError: (err) => notifyError(err, t),
                  },
                )
              }
            >
              {t('finish.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
