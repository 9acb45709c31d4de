import { Badge, Button, Group, Paper, Table, Text, Title, Skeleton, VisuallyHidden } from '@mantine/core';
import { IconDeviceDesktop, IconDeviceMobile } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useRevokeOtherSessions, useRevokeSession, useSessions } from '../api/account.ts';

/** "Firefox on Windows" from a user agent: enough to recognise one's own devices. */
function describeAgent(ua: string | null, unknown: string): { text: string; mobile: boolean } {
  if (!ua) return { text: unknown, mobile: false };
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  const text = browser && os ? `${browser} · ${os}` : (browser ?? os ?? ua.slice(0, 60));
  return { text, mobile: /Mobile|Android|iPhone/.test(ua) };
}

export function SessionsCard() {
  const { t } = useTranslation('account');
  const f = useFormatters();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const rows = sessions.data?.data ?? [];
  const others = rows.filter((s) => !s.current).length;

  return (
    <Paper p="md">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={2}>{t('account.sessions.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('account.sessions.help')}
          </Text>
        </div>
        <Button
          variant="default"
          color="red"
          size="xs"
          disabled={others === 0}
          loading={revokeOthers.isPending}
          onClick={() =>
            revokeOthers.mutate(undefined, {
              onSuccess: (res) => notifySuccess(t('account.sessions.revokedOthers', { count: res.revoked })),
              onError: (err) => notifyError(err, t),
            })
          }
        >
          {t('account.sessions.revokeOthers')}
        </Button>
      </Group>
      {sessions.isPending ? (
        <Skeleton h={80} />
      ) : sessions.isError ? (
        <QueryError error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <caption>
              <VisuallyHidden>{t('account.sessions.title')}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('account.sessions.device')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.ip')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.started')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.lastSeen')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => {
                const device = describeAgent(s.userAgent, t('account.sessions.unknownDevice'));
                const Icon = device.mobile ? IconDeviceMobile : IconDeviceDesktop;
                return (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Icon size={16} aria-hidden />
                        <Text size="sm" title={s.userAgent ?? undefined}>
                          {device.text}
                        </Text>
                        {s.current && (
                          <Badge size="sm" variant="light" color="green">
                            {t('account.sessions.current')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.ip ?? '—'}</Table.Td>
                    <Table.Td>{f.dateTime(s.createdAt)}</Table.Td>
                    <Table.Td>{f.relative(s.lastSeenAt)}</Table.Td>
                    <Table.Td ta="right">
                      {!s.current && (
                        <Button
                          variant="subtle"
                          color="red"
                          size="compact-xs"
                          loading={revoke.isPending && revoke.variables === s.id}
                          aria-label={t('account.sessions.revokeOne', { device: device.text })}
                          onClick={() =>
                            revoke.mutate(s.id, {
                              onSuccess: () => notifySuccess(t('account.sessions.revoked')),
                              onError: (err) => notifyError(err, t),
                            })
                          }
                        >
                          {t('account.sessions.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
