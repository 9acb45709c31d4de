import { Anchor, Code, Drawer, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { OutcomeBadge } from '../../../components/OutcomeBadge.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { auditActionLabel, roleLabel } from '../../../lib/labels.ts';
import type { AuditEvent } from '../api/audit.ts';

export function AuditEventDrawer({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const f = useFormatters();
  return (
    <Drawer
      opened={!!event}
      onClose={onClose}
      position="right"
      size="md"
      title={<Text fw={700}>{t('admin.audit.eventTitle')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {event && (
        <Stack gap="md">
          <InfoList cols={1}>
            <InfoItem label={t('admin.audit.when')}>{f.dateTime(event.at)}</InfoItem>
            <InfoItem label={t('admin.audit.action')}>
              {auditActionLabel(t, event.action)}{' '}
              <Text span size="xs" ff="monospace" c="dimmed">
                ({event.action})
              </Text>
            </InfoItem>
            <InfoItem label={t('admin.audit.outcome')}>
              <OutcomeBadge outcome={event.outcome} />
            </InfoItem>
            <InfoItem label={t('admin.audit.actor')}>
              {event.actorName ?? t('accessLog.system')}
              {event.actorRole ? ` (${roleLabel(t, event.actorRole)})` : ''}
            </InfoItem>
            <InfoItem label={t('admin.audit.resource')}>
              {event.resourceType ? `${event.resourceType} ${event.resourceId ?? ''}` : null}
            </InfoItem>
            <InfoItem label={t('admin.audit.patient')}>
              {event.patientId ? (
                <Anchor component={Link} to={`/patients/${event.patientId}`} size="sm">
                  {event.patientName ? `${event.patientName} · ${event.patientMrn ?? ''}` : event.patientId}
                </Anchor>
              ) : null}
            </InfoItem>
            <InfoItem label={t('admin.audit.ip')}>{event.ip}</InfoItem>
            <InfoItem label={t('admin.audit.eventId')}>
              <Text span size="xs" ff="monospace">
                {event.id}
              </Text>
            </InfoItem>
          </InfoList>
          {event.details !== null && event.details !== undefined && (
            <div>
              <Title order={3} mb={4}>
                {t('admin.audit.details')}
              </Title>
              <Code block>{JSON.stringify(event.details, null, 2)}</Code>
            </div>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
