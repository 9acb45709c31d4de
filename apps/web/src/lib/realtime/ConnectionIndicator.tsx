import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConnectionState, type ConnectionState } from './RealtimeProvider.tsx';

const COLOR: Record<ConnectionState, string> = {
  live: 'teal',
  connecting: 'gray',
  reconnecting: 'orange',
  offline: 'red',
};

/** Live / reconnecting badge in the header: staff should know when the screen may be out of date. */
export function ConnectionIndicator() {
  const { t } = useTranslation();
  const state = useConnectionState();
  return (
    <Tooltip label={t(`realtime.help.${state}`)} multiline w={240} withArrow>
      <Badge
        variant="dot"
        color={COLOR[state]}
        size="md"
        role="status"
        aria-live="polite"
        tabIndex={0}
        data-testid="connection-indicator"
        data-state={state}
        styles={{ root: { textTransform: 'none', cursor: 'default' } }}
      >
        {t(`realtime.state.${state}`)}
      </Badge>
    </Tooltip>
  );
}
