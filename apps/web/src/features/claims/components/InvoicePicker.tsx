import { useState } from 'react';
import { Badge, Button, Group, Paper, Skeleton, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { useClaimableInvoices, type InvoiceSummary } from '../api/claims.ts';
import { formatAmount } from '../lib/claims.ts';

/**
 * Finds an issued invoice of the active clinic by its number, the patient's name or MRN; the newest
 * first. Drafts and void invoices are left out (no claim is built from them).
 */
export function InvoicePicker({ onPick, autoFocus = false }: { onPick: (invoice: InvoiceSummary) => void; autoFocus?: boolean }) {
  const { t, i18n } = useTranslation('claims');
  const f = useFormatters();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const invoices = useClaimableInvoices(debounced || undefined, 30);
  const rows = invoices.data ?? [];
  const language = i18n.resolvedLanguage ?? 'en';

  return (
    <Paper p="sm" withBorder>
      <TextInput
        label={t('picker.search')}
        description={t('picker.searchHelp')}
        placeholder={t('picker.placeholder')}
        type="search"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Enter takes the first match: a number typed in full opens its invoice at once
          if (e.key === 'Enter' && rows[0]) {
            e.preventDefault();
            onPick(rows[0]);
          }
        }}
        autoFocus={autoFocus}
        data-autofocus={autoFocus || undefined}
        mb="sm"
      />
      {invoices.isError ? (
        <QueryError error={invoices.error} onRetry={invoices.refetch} />
      ) : invoices.isPending ? (
        <Skeleton h={120} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed" role="status">
          {debounced ? t('picker.noMatch') : t('picker.none')}
        </Text>
      ) : (
        <Table highlightOnHover verticalSpacing={4} fz="sm" data-testid="invoice-picker">
          <caption>
            <VisuallyHidden>{t('picker.caption')}</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('picker.number')}</Table.Th>
              <Table.Th scope="col">{t('queue.patient')}</Table.Th>
              <Table.Th scope="col">{t('picker.issued')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('picker.total')}
              </Table.Th>
              <Table.Th scope="col">{t('picker.status')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('picker.action')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((inv) => (
              <Table.Tr key={inv.id}>
                <Table.Td ff="monospace">{inv.number}</Table.Td>
                <Table.Td>
                  {inv.patient.name}{' '}
                  <Text span size="xs" c="dimmed">
                    {inv.patient.mrn}
                  </Text>
                </Table.Td>
                <Table.Td>{inv.issuedAt ? f.date(inv.issuedAt) : '—'}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatAmount(inv.total, inv.currency, language)}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge variant="light" size="sm" color={inv.status === 'paid' ? 'green' : 'blue'}>
                      {t(`picker.statuses.${inv.status}`, { defaultValue: inv.status })}
                    </Badge>
                    {Number(inv.insurerShare) > 0 && (
                      <Badge variant="outline" size="sm" color="gray">
                        {t('picker.claimed')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => onPick(inv)}
                    aria-label={t('picker.chooseFor', { number: inv.number, patient: inv.patient.name })}
                  >
                    {t('picker.choose')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
