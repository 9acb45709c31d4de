import { useState } from 'react';
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconBan, IconFileTypePdf } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { doseText, frequencyText } from '@sanita/clinical/medications';
import type { ChartPartProps } from '../../../app/feature.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useCancelPrescription,
  useDownloadPrescription,
  usePatientPrescriptions,
  type Prescription,
} from '../api/medications.ts';
import { PrescriptionStatusBadge } from '../components/StatusBadge.tsx';

/** The chart's prescriptions tab: every prescription of the patient here, its items and status; the PDF; cancel with a reason. */
export function PrescriptionsSection({ patient }: ChartPartProps) {
  const { t, i18n } = useTranslation('medications');
  const f = useFormatters();
  const { can } = useAuth();
  const lang = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
  const prescriptions = usePatientPrescriptions(patient.id);
  const download = useDownloadPrescription();
  const [cancelling, setCancelling] = useState<Prescription | null>(null);
  const dateOf = (p: Prescription) => f.dateTime(p.signedAt ?? p.createdAt);

  return (
    <Stack gap="md">
      <Title order={2} size="h2">
        {t('list.title')}
      </Title>
      {prescriptions.isPending ? (
        <Skeleton h={120} />
      ) : prescriptions.isError ? (
        <QueryError error={prescriptions.error} onRetry={() => void prescriptions.refetch()} />
      ) : prescriptions.data.data.length === 0 ? (
        <EmptyState title={t('list.emptyTitle')} description={t('list.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="prescriptions-table">
            <Table.Caption>{t('list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.date')}</Table.Th>
                <Table.Th>{t('list.items')}</Table.Th>
                <Table.Th>{t('list.prescriber')}</Table.Th>
                <Table.Th>{t('list.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {prescriptions.data.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                    <Text size="sm">{dateOf(p)}</Text>
                    {p.encounterId && (
                      <Anchor component={Link} to={`/encounters/${p.encounterId}`} size="xs">
                        {t('list.openConsultation')}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Stack gap={2}>
                      {p.items.map((i) => (
                        <Text size="sm" key={i.id}>
                          <Text span fw={600} size="sm">
                            {i.name}
                          </Text>{' '}
                          — {doseText(i.dose, lang)}, {frequencyText(i.frequency, lang)},{' '}
                          {t('list.days', { count: i.durationDays })}
                          {' · '}
                          {doseText({ amount: i.quantity, unit: i.quantityUnit }, lang)}
                          {i.refills > 0 ? ` · ${t('list.refills', { count: i.refills })}` : ''}
                          {!i.substitutionAllowed ? ` · ${t('list.noSubstitution')}` : ''}
                        </Text>
                      ))}
                      {p.status === 'cancelled' && p.cancelledBy && (
                        <Text size="xs" c="dimmed">
                          {t('list.cancelledBy', { name: p.cancelledBy.name, reason: p.cancelReason ?? '' })}
                        </Text>
                      )}
                      {p.status === 'active' && p.expiresAt && (
                        <Text size="xs" c="dimmed">
                          {t('list.expires', { date: f.date(p.expiresAt) })}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Text size="sm">{p.prescriber.name}</Text>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <PrescriptionStatusBadge status={p.status} />
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {p.signedAt && (
                        <Tooltip label={t('list.pdf', { date: dateOf(p) })}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('list.pdf', { date: dateOf(p) })}
                            onClick={() => void download(p).catch((err: unknown) => notifyError(err, t))}
                          >
                            <IconFileTypePdf size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {can('prescriptions:write') && (p.status === 'active' || p.status === 'draft') && (
                        <Tooltip label={t('list.cancelName', { date: dateOf(p) })}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('list.cancelName', { date: dateOf(p) })}
                            onClick={() => setCancelling(p)}
                          >
                            <IconBan size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CancelModal patientId={patient.id} prescription={cancelling} onClose={() => setCancelling(null)} />
    </Stack>
  );
}

function CancelModal({
  patientId,
  prescription,
  onClose,
}: {
  patientId: string;
  prescription: Prescription | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('medications');
  const cancel = useCancelPrescription(patientId);
  const [reason, setReason] = useState('');
  const close = () => {
    setReason('');
    onClose();
  };
  return (
    <Modal
      opened={prescription !== null}
      onClose={close}
      title={t('list.cancelTitle')}
      closeButtonProps={{ 'aria-label': t('list.cancelKeep') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!prescription || !reason.trim()) return;
          cancel.mutate(
            { id: prescription.id, version: prescription.version, reason: reason.trim() },
            {
              onSuccess: () => {
                notifySuccess(t('list.cancelled'));
                close();
              },
              onError: (err) => notifyError(err, t),
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('list.cancelText')}</Text>
          <TextInput
            label={t('list.cancelReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            withAsterisk
            data-autofocus
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('list.cancelKeep')}
            </Button>
            <Button type="submit" color="red" loading={cancel.isPending} disabled={!reason.trim()}>
              {t('list.cancelConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
