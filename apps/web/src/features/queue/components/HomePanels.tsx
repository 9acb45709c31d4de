import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useServicePoints } from '../api/queue.ts';
import { useTodaysAppointments } from '../api/frontDesk.ts';
import { todayIn } from '../lib/time.ts';
import { WaitingBoard, useQueues } from './WaitingBoard.tsx';

/** Roles whose home shows the front desk's panel (everyone holds queue:write; the desk is theirs). */
const DESK_ROLES = ['receptionist', 'secretary'];
/** Roles whose home shows the triage queue. */
const TRIAGE_ROLES = ['nurse'];

function Stat({ label, value, testId }: { label: string; value: number | undefined; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {value === undefined ? (
        <Skeleton h={28} w={40} mt={4} />
      ) : (
        <Text fz={28} fw={700} lh={1.2} data-testid={testId}>
          {value}
        </Text>
      )}
    </Paper>
  );
}

/** The front desk's home panel: today's appointments, who is checked in, who waits per service point (live). */
export function FrontDeskHomePanel() {
  const { me } = useAuth();
  // nothing is fetched (patient data read and audited) for a role this panel is not for
  return me?.roles.some((r) => DESK_ROLES.includes(r)) ? <FrontDeskSummary /> : null;
}

function FrontDeskSummary() {
  const { t } = useTranslation('queue');
  const { activeClinic } = useAuth();
  const servicePoints = useServicePoints();
  const appointments = useTodaysAppointments(todayIn(activeClinic?.timezone));
  const active = (servicePoints.data ?? []).filter((sp) => sp.active);
  const queues = useQueues(active);
  const list = appointments.data;
  const waiting = queues.every((q) => q.data) ? queues.reduce((n, q) => n + (q.data?.stats.waiting ?? 0), 0) : undefined;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-front-desk" data-testid="home-front-desk">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="home-front-desk">
            {t('frontDesk.home.title')}
          </Title>
          <Anchor component={Link} to="/front-desk" size="sm">
            {t('frontDesk.home.open')}
          </Anchor>
        </Group>
        <SimpleGrid cols={3} spacing="xs">
          <Stat
            label={t('frontDesk.home.appointments')}
            value={list?.filter((a) => a.status !== 'cancelled').length}
            testId="home-front-desk-appointments"
          />
          <Stat
            label={t('frontDesk.home.checkedIn')}
            value={list?.filter((a) => a.status === 'checked_in' || a.status === 'in_progress').length}
            testId="home-front-desk-checked-in"
          />
          <Stat label={t('frontDesk.home.waiting')} value={waiting} testId="home-front-desk-waiting" />
        </SimpleGrid>
        {active.length > 0 && <WaitingBoard servicePoints={active} compact />}
      </Stack>
    </Paper>
  );
}

/** The nurse's home panel: tickets waiting at the clinic's triage service points, live. */
export function TriageHomePanel() {
  const { me } = useAuth();
  return me?.roles.some((r) => TRIAGE_ROLES.includes(r)) ? <TriageSummary /> : null;
}

function TriageSummary() {
  const { t } = useTranslation('queue');
  const servicePoints = useServicePoints();
  const triage = (servicePoints.data ?? []).filter((sp) => sp.active && sp.kind === 'triage');
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="home-triage" data-testid="home-triage">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="home-triage">
            {t('frontDesk.home.triageTitle')}
          </Title>
          {triage[0] && (
            <Anchor component={Link} to={`/queue?sp=${triage[0].id}`} size="sm">
              {t('frontDesk.home.triageOpen')}
            </Anchor>
          )}
        </Group>
        {servicePoints.isPending ? (
          <Skeleton h={60} />
        ) : triage.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('frontDesk.home.noTriage')}
          </Text>
        ) : (
          <WaitingBoard servicePoints={triage} compact />
        )}
      </Stack>
    </Paper>
  );
}
