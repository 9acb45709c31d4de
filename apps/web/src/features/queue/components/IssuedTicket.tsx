import { Button, CloseButton, Group, Paper, Stack, Text } from '@mantine/core';
import { IconListNumbers, IconPrinter } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import type { CheckInResult, ServicePoint } from '../api/queue.ts';
import { PriorityBadge } from './PriorityBadge.tsx';
import { servicePointName } from './ServicePointSelect.tsx';
import { clockTime } from '../lib/time.ts';
import classes from './issuedTicket.module.css';

export interface Issued {
  result: CheckInResult;
  patient: string;
}

/**
 * The ticket just given, large on the front desk page (the receptionist reads it out and may print
 * it), with the way to the queue where it waits. It stays until the next ticket or until hidden.
 */
export function IssuedTicket({
  issued,
  servicePoints,
  onDismiss,
}: {
  issued: Issued;
  servicePoints: ServicePoint[];
  onDismiss: () => void;
}) {
  const { t } = useTranslation('queue');
  const { activeClinic, can } = useAuth();
  const { ticket } = issued.result;
  const sp = servicePoints.find((s) => s.id === ticket.servicePointId);
  const where = sp ? servicePointName(sp, t) : '';
  return (
    <Paper
      withBorder
      p="md"
      mb="md"
      radius="md"
      className={classes.slip}
      role="status"
      aria-live="polite"
      data-testid="issued-ticket"
      style={{ borderColor: 'var(--mantine-color-green-6)', borderWidth: 2 }}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={4}>
          <Text size="sm" c="dimmed" className={classes.noPrint}>
            {t('frontDesk.issued.label')}
          </Text>
          <Text size="sm" className={classes.printOnly}>
            {activeClinic?.name} · {t('frontDesk.issued.printHeading')}
          </Text>
          <Group gap="sm" align="center">
            <Text className={classes.code} data-testid="issued-ticket-code">
              {ticket.code}
            </Text>
            <PriorityBadge priority={ticket.priority} size="md" />
          </Group>
          <Text size="sm" className={classes.noPrint}>
            {t('frontDesk.issued.forPatient', { patient: issued.patient, servicePoint: where })}
          </Text>
          <Text size="sm" className={classes.printOnly}>
            {where}
            {sp?.room ? ` · ${sp.room}` : ''} · {clockTime(ticket.arrivedAt, activeClinic?.timezone)}
          </Text>
          <Text size="xs" className={classes.printOnly}>
            {t('frontDesk.issued.printHelp')}
          </Text>
        </Stack>
        <Group gap="xs" className={classes.noPrint}>
          <Button variant="light" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
            {t('frontDesk.issued.print')}
          </Button>
          {can('queue:read') && (
            <Button
              variant="default"
              component={Link}
              to={`/queue?sp=${ticket.servicePointId}`}
              leftSection={<IconListNumbers size={16} aria-hidden />}
            >
              {t('frontDesk.issued.openQueue')}
            </Button>
          )}
          <CloseButton aria-label={t('frontDesk.issued.dismiss')} onClick={onDismiss} />
        </Group>
      </Group>
    </Paper>
  );
}
