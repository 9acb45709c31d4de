import { useMemo, useState } from 'react';
import { ActionIcon, Button, Chip, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconCalendarOff, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useSlots, type Slot } from '../../scheduling/index.ts';

const WINDOW_DAYS = 14;

/** Free times of one practitioner, two weeks at a time: days with free time, then the times of the chosen day. */
export function SlotPicker({
  practitionerId,
  clinicId,
  visitTypeId,
  timezone,
  value,
  onChange,
}: {
  practitionerId: string;
  clinicId: string;
  visitTypeId: string;
  timezone: string;
  value: Slot | null;
  onChange: (slot: Slot) => void;
}) {
  const { t, i18n } = useTranslation('portal');
  const language = i18n.resolvedLanguage ?? 'en';
  const today = dayjs().tz(timezone).format('YYYY-MM-DD');
  const [offset, setOffset] = useState(0);
  const from = dayjs(today).add(offset, 'day').format('YYYY-MM-DD');
  const to = dayjs(from)
    .add(WINDOW_DAYS - 1, 'day')
    .format('YYYY-MM-DD');
  const slots = useSlots({ practitionerId, clinicId, visitTypeId, from, to });
  const local = (iso: string) => dayjs(iso).tz(timezone).locale(language);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const s of slots.data?.data ?? []) {
      const day = dayjs(s.startsAt).tz(timezone).format('YYYY-MM-DD');
      map.set(day, [...(map.get(day) ?? []), s]);
    }
    return map;
  }, [slots.data, timezone]);
  const [day, setDay] = useState<string | null>(null);
  const chosenDay = day && byDay.has(day) ? day : ([...byDay.keys()][0] ?? null);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('portalBooking.wizard.earlier')}
          disabled={offset === 0}
          onClick={() => setOffset((o) => Math.max(0, o - WINDOW_DAYS))}
        >
          <IconChevronLeft size={18} aria-hidden />
        </ActionIcon>
        <Text fw={600}>
          {local(dayjs.tz(from, timezone).toISOString()).format('D MMM')} –{' '}
          {local(dayjs.tz(to, timezone).toISOString()).format('LL')}
        </Text>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('portalBooking.wizard.later')}
          onClick={() => setOffset((o) => o + WINDOW_DAYS)}
        >
          <IconChevronRight size={18} aria-hidden />
        </ActionIcon>
      </Group>
      {slots.isPending ? (
        <Stack aria-busy>
          <Skeleton h={36} />
          <Skeleton h={120} />
        </Stack>
      ) : slots.isError ? (
        <QueryError error={slots.error} onRetry={() => void slots.refetch()} />
      ) : byDay.size === 0 || !chosenDay ? (
        <Paper p="md" withBorder style={{ borderStyle: 'dashed' }}>
          <Group gap="xs">
            <IconCalendarOff size={18} aria-hidden />
            <Stack gap={0}>
              <Text fw={600}>{t('portalBooking.wizard.noSlotsTitle')}</Text>
              <Text size="sm" c="dimmed">
                {t('portalBooking.wizard.noSlots')}
              </Text>
            </Stack>
          </Group>
        </Paper>
      ) : (
        <>
          <Chip.Group multiple={false} value={chosenDay} onChange={(v) => setDay(v)}>
            <Group gap="xs" role="group" aria-label={t('portalBooking.wizard.day')}>
              {[...byDay.keys()].map((d) => (
                <Chip key={d} value={d} variant="outline">
                  {dayjs(d).locale(language).format('ddd D MMM')}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Text size="sm" fw={600}>
            {t('portalBooking.wizard.freeTimes', { date: dayjs(chosenDay).locale(language).format('dddd LL') })}
          </Text>
          <SimpleGrid cols={{ base: 3, xs: 4, sm: 6 }} spacing="xs" role="group" aria-label={t('portalBooking.wizard.slot')}>
            {(byDay.get(chosenDay) ?? []).map((s) => {
              const selected = value?.startsAt === s.startsAt;
              return (
                <Button
                  key={s.startsAt}
                  variant={selected ? 'filled' : 'default'}
                  aria-pressed={selected}
                  onClick={() => onChange(s)}
                  data-testid="portal-slot"
                >
                  {local(s.startsAt).format('HH:mm')}
                </Button>
              );
            })}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
