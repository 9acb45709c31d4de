import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconPrescription } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { instructionsText } from '@sanita/clinical/medications';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { useMyPrescriptions, useRequestRefill, type PortalPrescription } from '../api/prescriptions.ts';

const STATUS_COLORS: Record<PortalPrescription['status'], string> = {
  draft: 'gray',
  active: 'green',
  completed: 'gray',
  cancelled: 'red',
  expired: 'gray',
};
const REFILL_COLORS = { requested: 'gray', approved: 'green', declined: 'red' } as const;

/** The portal's "My prescriptions": each signed prescription with how to take every medicine, and refills. */
export function MyPrescriptionsPage() {
  const { t } = useTranslation('portal');
  const list = useMyPrescriptions();
  const [asking, setAsking] = useState<PortalPrescription | null>(null);
  return (
    <>
      <PageHeader title={t('myPrescriptions.title')} description={t('myPrescriptions.subtitle')} />
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Stack aria-busy>
          <Skeleton h={140} radius="md" />
          <Skeleton h={140} radius="md" />
        </Stack>
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={<IconPrescription size={22} />}
          title={t('myPrescriptions.emptyTitle')}
          description={t('myPrescriptions.empty')}
        />
      ) : (
        <Stack gap="sm" data-testid="portal-prescriptions">
          {list.data.map((p) => (
            <PrescriptionCard key={p.id} prescription={p} onAsk={() => setAsking(p)} />
          ))}
        </Stack>
      )}
      {asking && <RefillModal prescription={asking} onClose={() => setAsking(null)} />}
    </>
  );
}

function PrescriptionCard({ prescription: p, onAsk }: { prescription: PortalPrescription; onAsk: () => void }) {
  const { t, i18n } = useTranslation('portal');
  const f = useFormatters();
  const lang = i18n.resolvedLanguage?.startsWith('fr') ? 'fr' : 'en';
  const titleId = `prescription-${p.id}`;
  return (
    <Paper component="article" withBorder p="sm" radius="md" aria-labelledby={titleId} data-testid="portal-prescription">
      <Stack gap={8}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Group gap="xs">
              <Title order={2} size="h4" id={titleId}>
                {t('myPrescriptions.caption', { date: f.date(p.signedAt) })}
              </Title>
              <Badge color={STATUS_COLORS[p.status]} variant="light">
                {t(`myPrescriptions.status.${p.status}`)}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('myPrescriptions.by', { name: p.prescriber.name, clinic: p.clinic.name })}
              {p.expiresAt && p.status === 'active' && ` · ${t('myPrescriptions.expires', { date: f.date(p.expiresAt) })}`}
            </Text>
          </div>
          {p.canRequestRefill && (
            <Button size="xs" variant="light" onClick={onAsk}>
              {t('myPrescriptions.refill.ask')}
            </Button>
          )}
        </Group>
        <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {p.items.map((item, i) => (
            <li key={i}>
              <Text fw={600} size="sm">
                {item.name}
              </Text>
              <Text size="sm">{instructionsText(item, lang)}</Text>
              {item.instructions && (
                <Text size="sm" fs="italic">
                  {item.instructions}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('myPrescriptions.quantity', { quantity: item.quantity, unit: item.quantityUnit })}
                {item.refills > 0 && ` · ${t('myPrescriptions.refills', { count: item.refills })}`}
              </Text>
            </li>
          ))}
        </Stack>
        {p.refillRequests.length > 0 && (
          <div>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase">
              {t('myPrescriptions.refill.history')}
            </Text>
            {p.refillRequests.map((r) => (
              <Group key={r.id} gap="xs" wrap="wrap" data-testid="portal-refill-request">
                <Badge size="sm" variant="light" color={REFILL_COLORS[r.status]}>
                  {t(`myPrescriptions.refill.state.${r.status}`)}
                </Badge>
                <Text size="xs">
                  {t('myPrescriptions.refill.requested', { date: f.date(r.requestedAt) })}
                  {r.decidedAt && `, ${t('myPrescriptions.refill.decided', { date: f.date(r.decidedAt) })}`}
                  {r.decisionNote && ` — ${r.decisionNote}`}
                </Text>
              </Group>
            ))}
          </div>
        )}
      </Stack>
    </Paper>
  );
}

function RefillModal({ prescription, onClose }: { prescription: PortalPrescription; onClose: () => void }) {
  const { t } = useTranslation('portal');
  const [note, setNote] = useState('');
  const refill = useRequestRefill();
  const send = () =>
    refill.mutate(
      { id: prescription.id, note },
      {
        onSuccess: () => {
          notifySuccess(t('myPrescriptions.refill.sent'));
          onClose();
        },
      },
    );
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('myPrescriptions.refill.title')}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{prescription.items.map((i) => i.name).join(', ')}</Text>
          <Text size="sm" c="dimmed">
            {t('myPrescriptions.refill.intro')}
          </Text>
          <Textarea
            label={t('myPrescriptions.refill.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            data-autofocus
          />
          {refill.error && (
            <Alert color="red" role="alert">
              {errorMessage(refill.error, t)}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={refill.isPending}>
              {t('myPrescriptions.refill.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
