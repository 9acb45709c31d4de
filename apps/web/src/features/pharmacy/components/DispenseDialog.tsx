import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconCheck, IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError } from '../../../lib/errors.ts';
import {
  useDispense,
  useOpenLabel,
  useProductLots,
  type Dispense,
  type WorklistEntry,
  type WorklistItem,
} from '../api/pharmacy.ts';
import { lineIssues, type LineIssues } from '../lib/issues.ts';
import { planLots } from '../lib/fefo.ts';
import { WorklistItemRow } from './WorklistItemRow.tsx';
import { PregnancyBadges } from './PregnancyBadges.tsx';

interface LineState {
  quantity: number;
  inventoryItemId: string | null;
  substitutionReason: string;
}

/**
 * The products an item may be filled with: the prescribed one, and the server's equivalent products
 * (same ingredients, strength and route, `substitute: true`) only where the prescriber allowed substituting.
 */
const optionsOf = (item: WorklistItem) => item.stock.filter((s) => !s.substitute || item.substitutionAllowed);

function initialLine(item: WorklistItem): LineState {
  const prescribed = item.stock.find((s) => !s.substitute) ?? null;
  return { quantity: item.remaining, inventoryItemId: prescribed?.inventoryItemId ?? null, substitutionReason: '' };
}

/** Dispensing a prescription, in full or in part, then its label. */
export function DispenseDialog({ entry, onClose }: { entry: WorklistEntry; onClose: () => void }) {
  const { t } = useTranslation('pharmacy');
  const f = useFormatters();
  const open = entry.items.filter((i) => i.remaining > 0);
  const [lines, setLines] = useState<Record<string, LineState>>(() =>
    Object.fromEntries(open.map((i) => [i.prescriptionItemId, initialLine(i)])),
  );
  const [note, setNote] = useState('');
  const [done, setDone] = useState<Dispense | null>(null);
  const dispense = useDispense(entry.prescriptionId);
  // what the server refused, at the line it named (cleared on that line's next change)
  const [issues, setIssues] = useState<LineIssues>({ byItem: {}, placed: true });

  const chosen = open.filter((i) => (lines[i.prescriptionItemId]?.quantity ?? 0) > 0);
  const missingProduct = chosen.some((i) => !lines[i.prescriptionItemId]?.inventoryItemId);

  const submit = () => {
    // the server names a line by its index in what was sent
    const sent = chosen.map((i) => i.prescriptionItemId);
    setIssues({ byItem: {}, placed: true });
    dispense.mutate(
      {
        items: chosen.map((i) => {
          const line = lines[i.prescriptionItemId]!;
          const substituted =
            !!line.inventoryItemId && !i.stock.some((s) => !s.substitute && s.inventoryItemId === line.inventoryItemId);
          return {
            prescriptionItemId: i.prescriptionItemId,
            quantity: line.quantity,
            ...(line.inventoryItemId ? { inventoryItemId: line.inventoryItemId } : {}),
            ...(substituted && line.substitutionReason.trim() ? { substitutionReason: line.substitutionReason.trim() } : {}),
          };
        }),
        ...(note.trim() ? { counsellingNote: note.trim() } : {}),
      },
      { onSuccess: setDone, onError: (err) => setIssues(lineIssues(err, sent, t, errorMessage(err, t))) },
    );
  };

  const title = t('dispense.title', { name: entry.patient.name });
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={title}
      size="xl"
      data-testid="dispense-dialog"
    >
      {done ? (
        <Dispensed dispense={done} onClose={onClose} />
      ) : (
        <Stack
          gap="sm"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && chosen.length > 0 && !missingProduct && !dispense.isPending) {
              e.preventDefault();
              submit();
            }
          }}
        >
          <Text size="sm" c="dimmed">
            {t('worklist.mrn', { mrn: entry.patient.mrn })} · {f.age(entry.patient.birthDate)} ·{' '}
            {t('worklist.signedBy', { name: entry.prescriber.name, when: f.dateTime(entry.signedAt) })}
          </Text>
          {(entry.pregnant || entry.breastfeeding) && (
            <Group gap="xs">
              <PregnancyBadges entry={entry} />
            </Group>
          )}
          {open.map((item, index) => (
            <ItemLine
              key={item.prescriptionItemId}
              item={item}
              autoFocus={index === 0}
              line={lines[item.prescriptionItemId]!}
              issues={issues.byItem[item.prescriptionItemId]}
              onChange={(next) => {
                setLines((all) => ({ ...all, [item.prescriptionItemId]: next }));
                setIssues((all) => {
                  if (!all.byItem[item.prescriptionItemId]) return all;
                  const byItem = { ...all.byItem };
                  delete byItem[item.prescriptionItemId];
                  return { ...all, byItem };
                });
              }}
            />
          ))}
          <Textarea
            label={t('dispense.counselling')}
            description={t('dispense.counsellingHint')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={2000}
          />
          {dispense.error && (
            <Alert color="red" role="alert">
              {issues.placed && Object.keys(issues.byItem).length > 0 ? t('dispense.seeLines') : errorMessage(dispense.error, t)}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {chosen.length === 0 ? t('dispense.nothing') : t('dispense.summary', { count: chosen.length, total: open.length })}
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                onClick={submit}
                loading={dispense.isPending}
                disabled={chosen.length === 0 || missingProduct}
                title={t('dispense.shortcut')}
              >
                {t('dispense.submit')}
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function ItemLine({
  item,
  line,
  issues,
  onChange,
  autoFocus,
}: {
  item: WorklistItem;
  line: LineState;
  issues?: LineIssues['byItem'][string];
  onChange: (line: LineState) => void;
  autoFocus: boolean;
}) {
  const { t } = useTranslation('pharmacy');
  const f = useFormatters();
  const options = optionsOf(item);
  const chosen = options.find((o) => o.inventoryItemId === line.inventoryItemId) ?? null;
  const substitute = !!chosen?.substitute;
  const label = (o: (typeof options)[number]) => `${o.name} (${t('dispense.availableShort', { count: o.available })})`;
  const productData = [
    {
      group: t('dispense.prescribedGroup'),
      items: options.filter((o) => !o.substitute).map((o) => ({ value: o.inventoryItemId, label: label(o) })),
    },
    {
      group: t('dispense.substituteGroup'),
      items: options.filter((o) => o.substitute).map((o) => ({ value: o.inventoryItemId, label: label(o) })),
    },
  ];
  const lots = useProductLots(line.inventoryItemId);
  const plan = lots.data ? planLots(lots.data, line.quantity) : null;
  const option = chosen;
  const available = option?.available ?? 0;
  const none = options.length === 0;

  return (
    <Paper withBorder p="sm" radius="md" data-testid="dispense-item">
      <Stack gap="xs">
        <WorklistItemRow item={item} />
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('dispense.product')}
            data={productData.filter((g) => g.items.length > 0)}
            value={line.inventoryItemId}
            onChange={(v) => onChange({ ...line, inventoryItemId: v })}
            placeholder={none ? t('dispense.notStocked') : undefined}
            disabled={none}
            searchable={options.some((o) => o.substitute)}
            allowDeselect={false}
            error={issues?.inventoryItemId}
            w={340}
          />
          <NumberInput
            label={t('dispense.quantity', { unit: option?.unit ?? item.quantityUnit })}
            value={line.quantity}
            onChange={(v) => onChange({ ...line, quantity: typeof v === 'number' ? v : 0 })}
            min={0}
            max={item.remaining}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            w={150}
            data-autofocus={autoFocus || undefined}
            error={issues?.quantity}
            description={t('dispense.ofRemaining', { remaining: item.remaining })}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          {option && (
            <Badge color={available >= line.quantity ? 'green' : 'red'} variant="light" size="lg">
              {t('dispense.available', { count: available, unit: option.unit })}
            </Badge>
          )}
        </Group>
        {substitute && (
          <TextInput
            label={t('dispense.substitutionReason')}
            value={line.substitutionReason}
            onChange={(e) => onChange({ ...line, substitutionReason: e.currentTarget.value })}
            maxLength={500}
            error={issues?.substitutionReason}
          />
        )}
        {issues?.line && (
          <Text size="sm" c="red" role="alert">
            {issues.line}
          </Text>
        )}
        {option && line.quantity > 0 && plan && (
          <div>
            <Text size="xs" fw={600} mb={2}>
              {t('dispense.lots')}
            </Text>
            {plan.lots.length > 0 && (
              <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="dispense-lots">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('dispense.lot')}</Table.Th>
                    <Table.Th>{t('dispense.expires')}</Table.Th>
                    <Table.Th ta="right">{t('dispense.units')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.lots.map((l) => (
                    <Table.Tr key={l.lotId}>
                      <Table.Td>{l.lotNumber}</Table.Td>
                      <Table.Td>{f.date(l.expiresOn)}</Table.Td>
                      <Table.Td ta="right">{l.quantity}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {plan.short > 0 && (
              <Text size="xs" c="red" role="status">
                {t('dispense.short', { count: plan.short })}
              </Text>
            )}
          </div>
        )}
      </Stack>
    </Paper>
  );
}

function Dispensed({ dispense, onClose }: { dispense: Dispense; onClose: () => void }) {
  const { t } = useTranslation('pharmacy');
  const f = useFormatters();
  const openLabel = useOpenLabel();
  const [printing, setPrinting] = useState(false);
  const print = async () => {
    setPrinting(true);
    try {
      await openLabel(dispense.id);
    } catch (err) {
      notifyError(err, t);
    } finally {
      setPrinting(false);
    }
  };
  return (
    <Stack gap="sm" data-testid="dispensed">
      <Alert color="green" icon={<IconCheck size={18} aria-hidden />} role="status">
        {dispense.completed ? t('dispense.completed') : t('dispense.partial')}
      </Alert>
      <Table fz="sm" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('dispense.product')}</Table.Th>
            <Table.Th ta="right">{t('dispense.units')}</Table.Th>
            <Table.Th>{t('dispense.lotsTaken')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {dispense.lines.map((line) => (
            <Table.Tr key={line.id}>
              <Table.Td>
                {line.name}
                {line.substituted && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    {t('dispense.insteadOf', { name: line.prescribedName })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {line.quantity} {line.unit}
              </Table.Td>
              <Table.Td>
                {line.lots
                  .map((l) => t('dispense.lotLine', { lot: l.lotNumber, expires: f.date(l.expiresOn), count: l.quantity }))
                  .join(' · ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('common.close')}
        </Button>
        <Button
          leftSection={<IconPrinter size={16} aria-hidden />}
          onClick={() => void print()}
          loading={printing}
          data-autofocus
        >
          {t('dispense.printLabel')}
        </Button>
      </Group>
    </Stack>
  );
}
