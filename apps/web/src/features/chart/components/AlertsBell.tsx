import { ActionIcon, Anchor, Indicator, Popover, ScrollArea, Skeleton, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';
import { useClinicAlerts } from '../api/alerts.ts';
import { AlertsList } from './AlertsList.tsx';

/** The roles told of a new alert as it is raised (the chart room reaches every chart reader of the clinic). */
const NOTIFIED_ROLES = ['doctor', 'nurse'];

/**
 * The header's bell: the number of the clinic's open NEWS2 alerts; a click lists them with Acknowledge
 * and Open chart. A doctor or nurse of the clinic is notified of a new alert as it is raised.
 */
export function AlertsBell() {
  const { t } = useTranslation('chart');
  const { me, activeClinic } = useAuth();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const alerts = useClinicAlerts();
  const count = alerts.data?.length ?? 0;
  const dropdown = useRef<HTMLDivElement>(null);
  // an acknowledged alert leaves the list with the button that had the focus: the focus stays in the list
  // (on the page's body, Escape would no longer close it and the keyboard would be lost)
  useEffect(() => {
    if (opened && document.activeElement === document.body) dropdown.current?.focus();
  }, [alerts.data, opened]);

  useRealtimeEvent('news2.alert.raised', (e) => {
    if (e.clinicId !== activeClinic?.id || !me?.roles.some((r) => NOTIFIED_ROLES.includes(r))) return;
    const risk = t(`news2.risk.${e.risk}`);
    notifications.show({
      id: `news2-${e.alertId}`,
      color: 'red',
      autoClose: 15_000,
      title: t('alerts.newTitle'),
      closeButtonProps: { 'aria-label': t('alerts.dismiss') },
      message: (
        <>
          {t('news2.scoreLabel', { total: e.total, risk })} ·{' '}
          {/* notifications render outside the router: navigate from here, where the router is */}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              notifications.hide(`news2-${e.alertId}`);
              void navigate(`/patients/${e.patientId}/chart/vitals`);
            }}
          >
            {t('alerts.openChart')}
          </Anchor>
        </>
      ),
    });
  });

  const label = t('alerts.bellLabel', { count });
  return (
    <Indicator
      label={count}
      size={16}
      color="red"
      disabled={count === 0}
      offset={4}
      data-testid="alerts-bell-count"
      data-count={count}
    >
      <Popover opened={opened} onChange={setOpened} width={340} position="bottom-end" withArrow shadow="md" trapFocus>
        <Popover.Target>
          <ActionIcon
            variant={count ? 'light' : 'subtle'}
            color={count ? 'red' : 'gray'}
            size="lg"
            aria-label={label}
            title={label}
            onClick={() => setOpened((o) => !o)}
            data-testid="alerts-bell"
          >
            <IconBell size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown ref={dropdown} aria-label={t('alerts.title')} data-testid="alerts-popover">
          <Title order={2} size="h5" mb="xs">
            {t('alerts.title')}
          </Title>
          {alerts.isPending ? (
            <Skeleton h={60} />
          ) : alerts.isError ? (
            <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
          ) : (
            <ScrollArea.Autosize mah={420} type="auto">
              <AlertsList alerts={alerts.data} onNavigate={() => setOpened(false)} />
            </ScrollArea.Autosize>
          )}
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
