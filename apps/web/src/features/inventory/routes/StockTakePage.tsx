import { useMemo, useState, type KeyboardEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  ScrollArea,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconArrowLeft, IconSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage } from '../../../lib/errors.ts';
import { useStockTake, useValuation, type StockTake } from '../api/inventory.ts';

/**
 * A stock take: the count sheet of the clinic's lots holding stock (expected on hand), what was counted on the
 * shelf, and the differences made into adjustments in one go. Enter moves to the next count.
 */
export function StockTakePage() {
  const { t } = useTranslation('inventory');
  const f = useFormatters();
  const sheet = useValuation();
  const stockTake = useStockTake();
  const [filter, setFilter] = useState('');
  const [counts, setCounts] = useState<Record<string, number | ''>>({});
  const [note, setNote] = useState('');
  const [result, setResult] = useState<StockTake | null>(null);

  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (sheet.data?.rows ?? [])
      .filter((r) => !q || r.name.toLowerCase().includes(q) || r.lotNumber.toLowerCase().includes(q))
      .sort((a, b) => a.name.localeCompare(b.name) || a.expiresOn.localeCompare(b.expiresOn));
  }, [sheet.data, filter]);
  const counted = (sheet.data?.rows ?? []).flatMap((r) => {
    const c = counts[r.lotId];
    return typeof c === 'number' ? [{ lotId: r.lotId, counted: c, expected: r.onHand }] : [];
  });
  const differing = counted.filter((c) => c.counted !== c.expected).length;

  const nextOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('[data-count-input]'));
    inputs[inputs.indexOf(event.currentTarget) + 1]?.focus();
  };

  const submit = () =>
    stockTake.mutate(
      { lines: counted.map(({ lotId, counted: c }) => ({ lotId, counted: c })), ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: (res) => {
          setResult(res);
          setCounts({});
          setNote('');
        },
      },
    );

  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/inventory" size="sm">
            <Group gap={4}>
              <IconArrowLeft size={14} aria-hidden />
              {t('title')}
            </Group>
          </Anchor>
        }
        title={t('stockTake.title')}
        description={t('stockTake.subtitle')}
      />
      {result && (
        <Alert
          color="green"
          mb="sm"
          role="status"
          withCloseButton
          onClose={() => setResult(null)}
          closeButtonLabel={t('common.close')}
        >
          {t('stockTake.done', { count: result.lines.filter((l) => l.difference !== 0).length, lines: result.lines.length })}
          <Stack gap={0} mt={4}>
            {result.lines
              .filter((l) => l.difference !== 0)
              .map((l) => (
                <Text key={l.lotId} size="xs">
                  {t('stockTake.adjusted', {
                    lot: l.lotNumber,
                    expected: l.expected,
                    counted: l.counted,
                    difference: l.difference > 0 ? `+${l.difference}` : `${l.difference}`,
                  })}
                </Text>
              ))}
          </Stack>
        </Alert>
      )}
      {sheet.error ? (
        <QueryError error={sheet.error} onRetry={() => void sheet.refetch()} />
      ) : sheet.isPending ? (
        <Skeleton h={300} />
      ) : (sheet.data?.rows.length ?? 0) === 0 ? (
        <EmptyState title={t('stockTake.emptyTitle')} description={t('stockTake.empty')} />
      ) : (
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap">
            <TextInput
              leftSection={<IconSearch size={16} aria-hidden />}
              aria-label={t('stockTake.filter')}
              placeholder={t('stockTake.filter')}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
              w={280}
            />
            <Text size="sm" c="dimmed">
              {t('stockTake.progress', { counted: counted.length, total: sheet.data?.rows.length ?? 0, differing })}
            </Text>
          </Group>
          <Paper withBorder>
            <ScrollArea type="auto">
              <Table striped miw={720} data-testid="count-sheet" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('stock.item')}</Table.Th>
                    <Table.Th>{t('lots.lot')}</Table.Th>
                    <Table.Th>{t('lots.expires')}</Table.Th>
                    <Table.Th ta="right">{t('stockTake.expected')}</Table.Th>
                    <Table.Th w={140}>{t('stockTake.counted')}</Table.Th>
                    <Table.Th ta="right">{t('stockTake.difference')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => {
                    const c = counts[r.lotId];
                    const diff = typeof c === 'number' ? c - r.onHand : null;
                    return (
                      <Table.Tr key={r.lotId}>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {r.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {r.unit}
                          </Text>
                        </Table.Td>
                        <Table.Td>{r.lotNumber}</Table.Td>
                        <Table.Td>{f.date(r.expiresOn)}</Table.Td>
                        <Table.Td ta="right">{r.onHand}</Table.Td>
                        <Table.Td>
                          <NumberInput
                            size="xs"
                            aria-label={t('stockTake.countedOf', { name: r.name, lot: r.lotNumber })}
                            value={c ?? ''}
                            onChange={(v) => setCounts((all) => ({ ...all, [r.lotId]: typeof v === 'number' ? v : '' }))}
                            onKeyDown={nextOnEnter}
                            min={0}
                            max={1_000_000}
                            allowDecimal={false}
                            allowNegative={false}
                            data-count-input
                          />
                        </Table.Td>
                        <Table.Td ta="right">
                          {diff === null ? (
                            '—'
                          ) : diff === 0 ? (
                            <Badge size="sm" variant="light" color="green">
                              {t('stockTake.matches')}
                            </Badge>
                          ) : (
                            <Badge size="sm" variant="light" color={diff > 0 ? 'gray' : 'red'}>
                              {diff > 0 ? `+${diff}` : `−${-diff}`}
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Paper>
          <Textarea
            label={t('stockTake.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
          />
          {stockTake.error && (
            <Alert color="red" role="alert">
              {errorMessage(stockTake.error, t)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={submit} loading={stockTake.isPending} disabled={counted.length === 0}>
              {t('stockTake.submit', { count: differing })}
            </Button>
          </Group>
        </Stack>
      )}
    </>
  );
}
