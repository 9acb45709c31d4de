import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api/errors.ts';
import { notifySuccess } from '../../../lib/errors.ts';
import { issueMessage } from '../../../lib/validation.ts';
import { useTransferTicket, type QueueTicket, type ServicePoint, type TicketPriority } from '../api/queue.ts';
import { notifyQueueError } from '../lib/queueErrors.ts';
import { PriorityPicker, type PriorityPatient } from './PriorityPicker.tsx';
import { ServicePointSelect } from './ServicePointSelect.tsx';

/** Sends a patient on to another service point (lab, pharmacy, cashier) with a new ticket there. */
export function TransferModal({
  ticket,
  servicePoints,
  onClose,
}: {
  ticket: QueueTicket | null;
  servicePoints: ServicePoint[];
  onClose: () => void;
}) {
  const { t } = useTranslation('queue');
  return (
    <Modal
      opened={!!ticket}
      onClose={onClose}
      title={t('queue.transfer.title', { code: ticket?.code ?? '' })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      centered
    >
      {ticket && <TransferForm key={ticket.id} ticket={ticket} servicePoints={servicePoints} onClose={onClose} />}
    </Modal>
  );
}

function TransferForm({
  ticket,
  servicePoints,
  onClose,
}: {
  ticket: QueueTicket;
  servicePoints: ServicePoint[];
  onClose: () => void;
}) {
  const { t } = useTranslation('queue');
  const transfer = useTransferTicket();
  const [target, setTarget] = useState<string | null>(null);
  const [priority, setPriority] = useState<TicketPriority>(ticket.priority);
  const [note, setNote] = useState('');
  const fits: PriorityPatient = { sex: ticket.patient.sex, age: ticket.patient.age };
  const [error, setError] = useState<string | undefined>();

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!target) {
          setError(t('queue.transfer.chooseTarget'));
          return;
        }
        transfer.mutate(
          { ticketId: ticket.id, servicePointId: target, priority, note: note.trim() || undefined },
          {
            onSuccess: (result) => {
              const name = servicePoints.find((sp) => sp.id === target)?.name ?? '';
              notifySuccess(t('queue.transfer.done', { code: ticket.code, target: name, newCode: result.transferredTo.code }));
              onClose();
            },
            onError: (err) => {
              // A closed target or the same service point comes back as a field issue.
              const issue = isApiError(err) ? err.fieldIssues.find((i) => i.field === 'servicePointId') : undefined;
              if (issue) setError(issueMessage(issue, t));
              else notifyQueueError(err, t);
            },
          },
        );
      }}
    >
      <Stack gap="md">
        <Text size="sm">{t('queue.transfer.help', { patient: ticket.patient.name })}</Text>
        <ServicePointSelect
          servicePoints={servicePoints}
          exclude={ticket.servicePointId}
          label={t('queue.transfer.target')}
          value={target}
          onChange={(v) => {
            setTarget(v);
            setError(undefined);
          }}
          error={error}
          data-autofocus
        />
        <PriorityPicker value={priority} onChange={setPriority} patient={fits} />
        <Textarea
          label={t('queue.transfer.note')}
          description={t('queue.transfer.noteHelp')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={1000}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={transfer.isPending}>
            {t('queue.actions.transfer')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
