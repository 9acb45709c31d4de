import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useDecideRefill, useRefillRequests, type RefillRequest } from '../api/medications.ts';

/**
 * The prescriber's home panel: the patients' refill requests from the portal waiting at this clinic; approving
 * issues a new active prescription of the same items (the safety checks run again), declining says why.
 */
export function RefillRequestsPanel() {
  const { t } = useTranslation('medications');
  const f = useFormatters();
  const requests = useRefillRequests();
  const [deciding, setDeciding] = useState<{ request: RefillRequest; approve: boolean } | null>(null);
  const rows = requests.data?.data ?? [];
  if (requests.isSuccess && rows.length === 0) return null;

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-refills" data-testid="home-refills">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={2} size="h4" id="home-refills">
            {t('refills.title')}
          </Title>
          {rows.length > 0 && (
            <Badge color="blue" variant="filled">
              {rows.length}
            </Badge>
          )}
        </Group>
        {requests.isPending ? (
          <Skeleton h={60} />
        ) : requests.isError ? (
          <QueryError error={requests.error} onRetry={() => void requests.refetch()} />
        ) : (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {rows.map((r) => (
              <Group key={r.id} component="li" justify="space-between" wrap="wrap" gap="xs" align="flex-start">
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={6} wrap="wrap">
                    {r.patient && (
                      <Anchor component={Link} to={`/patients/${r.patient.id}/chart/prescriptions`} size="sm" fw={600}>
                        {r.patient.name}
                      </Anchor>
                    )}
                    {r.patient && (
                      <Text size="xs" ff="monospace">
                        {r.patient.mrn}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {t('refills.requestedAt', { at: f.dateTime(r.requestedAt) })}
                      {r.prescriber ? ` · ${t('refills.prescriber', { name: r.prescriber.name })}` : ''}
                    </Text>
                  </Group>
                  <Text size="sm">{r.items.map((i) => i.name).join(', ')}</Text>
                  {r.note && (
                    <Text size="xs" c="dimmed">
                      “{r.note}”
                    </Text>
                  )}
                </div>
                <Group gap={4}>
                  <Button size="compact-xs" onClick={() => setDeciding({ request: r, approve: true })}>
                    {t('refills.approve')}
                  </Button>
                  <Button size="compact-xs" variant="default" onClick={() => setDeciding({ request: r, approve: false })}>
                    {t('refills.decline')}
                  </Button>
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
      <DecideModal deciding={deciding} onClose={() => setDeciding(null)} />
    </Paper>
  );
}

function DecideModal({
  deciding,
  onClose,
}: {
  deciding: { request: RefillRequest; approve: boolean } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('medications');
  const decide = useDecideRefill();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setNote('');
    setError(null);
    onClose();
  };
  const approve = deciding?.approve ?? true;
  return (
    <Modal
      opened={deciding !== null}
      onClose={close}
      title={approve ? t('refills.approveTitle') : t('refills.declineTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!deciding || (!approve && !note.trim())) return;
          decide.mutate(
            { id: deciding.request.id, approve, note: note.trim() },
            {
              onSuccess: () => {
                notifySuccess(approve ? t('refills.approved') : t('refills.declined'));
                close();
              },
              onError: (err) => setError(errorMessage(err, t)),
            },
          );
        }}
      >
        <Stack gap="sm">
          {deciding && <Text size="sm">{deciding.request.items.map((i) => i.name).join(', ')}</Text>}
          {approve && (
            <Text size="xs" c="dimmed">
              {t('refills.approveText')}
            </Text>
          )}
          <TextInput
            label={approve ? t('refills.noteOptional') : t('refills.noteRequired')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            withAsterisk={!approve}
            data-autofocus
          />
          {error && (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={approve ? undefined : 'red'}
              loading={decide.isPending}
              disabled={!approve && !note.trim()}
            >
              {approve ? t('refills.approve') : t('refills.decline')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
