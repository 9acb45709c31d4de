import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Badge, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPill, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useWorklist, type WorklistEntry } from '../api/pharmacy.ts';
import { DispenseDialog } from '../components/DispenseDialog.tsx';
import { WorklistItemRow } from '../components/WorklistItemRow.tsx';
import { PregnancyBadges } from '../components/PregnancyBadges.tsx';

type Order = 'oldest' | 'newest';

/**
 * The pharmacist's worklist: the active clinic's signed prescriptions waiting to be dispensed, live.
 * Arrow keys move between prescriptions, Enter opens the dispense dialog of the one in focus.
 */
export function WorklistPage() {
  const { t } = useTranslation('pharmacy');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [order, setOrder] = useState<Order>('oldest');
  const worklist = useWorklist(q);
  // the dialog keeps the entry it opened with: a completed prescription leaves the list while its label is printed
  const [open, setOpen] = useState<WorklistEntry | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const entries = useMemo(() => {
    const rows = [...(worklist.data ?? [])];
    rows.sort((a, b) => (order === 'oldest' ? 1 : -1) * a.signedAt.localeCompare(b.signedAt));
    return rows;
  }, [worklist.data, order]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const cards = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[data-entry]') ?? []);
    const index = cards.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const go = (i: number) => {
      event.preventDefault();
      cards[Math.max(0, Math.min(cards.length - 1, i))]?.focus();
    };
    if (event.key === 'ArrowDown') go(index + 1);
    else if (event.key === 'ArrowUp') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(cards.length - 1);
    else if (event.key === 'Enter') {
      event.preventDefault();
      const entry = entries.find((e) => e.prescriptionId === cards[index]!.dataset.entry);
      if (entry) setOpen(entry);
    }
  };

  return (
    <>
      <PageHeader
        title={t('worklist.title')}
        description={t('worklist.subtitle')}
        actions={
          worklist.data && (
            <Badge size="lg" variant="light" data-testid="worklist-count">
              {t('worklist.count', { count: worklist.data.length })}
            </Badge>
          )
        }
      />
      <Group gap="sm" mb="sm" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={16} aria-hidden />}
          placeholder={t('worklist.searchPlaceholder')}
          aria-label={t('worklist.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
        />
        <SegmentedControl
          aria-label={t('worklist.order')}
          value={order}
          onChange={(v) => setOrder(v as Order)}
          data={[
            { value: 'oldest', label: t('worklist.oldest') },
            { value: 'newest', label: t('worklist.newest') },
          ]}
        />
        <Text size="xs" c="dimmed">
          {t('worklist.keys')}
        </Text>
      </Group>
      {worklist.error ? (
        <QueryError error={worklist.error} onRetry={() => void worklist.refetch()} />
      ) : worklist.isPending ? (
        <Stack aria-busy>
          <Skeleton h={120} radius="md" />
          <Skeleton h={120} radius="md" />
        </Stack>
      ) : entries.length === 0 ? (
        <EmptyState
          icon={<IconPill size={22} />}
          title={q ? t('worklist.noMatchTitle') : t('worklist.emptyTitle')}
          description={q ? t('worklist.noMatch') : t('worklist.empty')}
        />
      ) : (
        <Stack gap="xs" ref={listRef} onKeyDown={onKeyDown} data-testid="worklist" role="list" aria-label={t('worklist.title')}>
          {entries.map((entry, i) => (
            <EntryCard key={entry.prescriptionId} entry={entry} first={i === 0} onOpen={() => setOpen(entry)} />
          ))}
        </Stack>
      )}
      {open && <DispenseDialog entry={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function EntryCard({ entry, onOpen, first }: { entry: WorklistEntry; onOpen: () => void; first: boolean }) {
  const { t } = useTranslation('pharmacy');
  const f = useFormatters();
  const titleId = `rx-${entry.prescriptionId}`;
  const overrides = entry.items.reduce((n, i) => n + i.overrides.length, 0);
  return (
    <Paper
      role="listitem"
      withBorder
      p="sm"
      radius="md"
      tabIndex={first ? 0 : -1}
      data-entry={entry.prescriptionId}
      // the focused prescription shows the focus ring the keyboard needs (Mantine draws it with this class)
      className="mantine-focus-auto"
      data-testid="worklist-entry"
      aria-labelledby={titleId}
      style={{ borderLeft: overrides > 0 ? '4px solid var(--mantine-color-red-6)' : undefined }}
      onFocus={(e) => {
        // the card in focus is the one Tab comes back to
        const list = e.currentTarget.parentElement;
        list?.querySelectorAll<HTMLElement>('[data-entry]').forEach((el) => (el.tabIndex = el === e.currentTarget ? 0 : -1));
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={2} size="h5" id={titleId}>
              {entry.patient.name}
              <Text span c="dimmed" fw={400} size="sm">
                {' · '}
                {t('worklist.mrn', { mrn: entry.patient.mrn })}
                {' · '}
                {f.age(entry.patient.birthDate)}
                {' · '}
                {t(`sex.${entry.patient.sex}`, { defaultValue: entry.patient.sex })}
              </Text>
            </Title>
            <Text size="xs" c="dimmed">
              {t('worklist.signedBy', { name: entry.prescriber.name, when: f.dateTime(entry.signedAt) })}
              {' · '}
              {f.relative(entry.signedAt)}
            </Text>
          </div>
          <Group gap="xs">
            <PregnancyBadges entry={entry} />
            {entry.partlyDispensed && (
              <Badge color="gray" variant="light">
                {t('worklist.partly')}
              </Badge>
            )}
            {overrides > 0 && (
              <Badge color="red" variant="filled">
                {t('worklist.overrides', { count: overrides })}
              </Badge>
            )}
            <Button size="xs" onClick={onOpen} tabIndex={-1} aria-describedby={titleId}>
              {t('worklist.dispense')}
            </Button>
          </Group>
        </Group>
        <Stack gap={4}>
          {entry.items.map((item) => (
            <WorklistItemRow key={item.prescriptionItemId} item={item} />
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}
