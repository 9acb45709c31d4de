import { Badge, Group, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NEWS2_PARAMETERS, type News2 } from '@sanita/contracts/chart';
import { RISK_COLOR } from '../lib/vitals.ts';

/** Per-parameter scores, one chip each (a scored parameter stands out). */
export function News2Scores({ news2 }: { news2: News2 }) {
  const { t } = useTranslation('chart');
  return (
    <Group gap={6} wrap="wrap" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {NEWS2_PARAMETERS.map((p) => {
        const score = news2.scores[p];
        return (
          <li key={p}>
            <Badge
              variant="light"
              color={score >= 3 ? 'red' : score > 0 ? 'orange' : 'gray'}
              radius="sm"
              styles={{ root: { textTransform: 'none' } }}
            >
              {t(`news2.parameters.${p}`)} {score}
            </Badge>
          </li>
        );
      })}
    </Group>
  );
}

/** The total and the risk band, coloured by risk and spelled out; the scores on hover or focus. */
export function News2Badge({
  news2,
  size = 'md',
  withLabel = false,
}: {
  news2: News2 | null;
  size?: 'sm' | 'md' | 'lg';
  withLabel?: boolean;
}) {
  const { t } = useTranslation('chart');
  if (!news2) {
    return (
      <Tooltip label={t('news2.noneHelp')} multiline w={260} withArrow>
        <Text size="xs" c="dimmed" tabIndex={0} style={{ whiteSpace: 'nowrap' }}>
          {t('news2.none')}
        </Text>
      </Tooltip>
    );
  }
  const risk = t(`news2.risk.${news2.risk}`);
  const label = t('news2.scoreLabel', { total: news2.total, risk });
  const breakdown = NEWS2_PARAMETERS.map((p) => `${t(`news2.parameters.${p}`)} ${news2.scores[p]}`).join(', ');
  return (
    <Tooltip
      withArrow
      multiline
      w={220}
      label={
        <Stack gap={0}>
          {NEWS2_PARAMETERS.map((p) => (
            <Group key={p} justify="space-between" gap="md" wrap="nowrap">
              <Text size="xs">{t(`news2.parameters.${p}`)}</Text>
              <Text size="xs" fw={700}>
                {news2.scores[p]}
              </Text>
            </Group>
          ))}
        </Stack>
      }
    >
      <Badge
        color={RISK_COLOR[news2.risk]}
        variant="filled"
        size={size}
        tabIndex={0}
        data-testid="news2-badge"
        data-risk={news2.risk}
        styles={{
          root: {
            textTransform: 'none',
            cursor: 'default',
            ...(news2.risk === 'low_medium' ? { color: 'var(--mantine-color-black)' } : {}),
          },
        }}
      >
        <span aria-hidden>{withLabel ? `NEWS2 ${news2.total} · ${risk}` : `${news2.total} · ${risk}`}</span>
        <VisuallyHidden>
          {label}: {breakdown}
        </VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}
