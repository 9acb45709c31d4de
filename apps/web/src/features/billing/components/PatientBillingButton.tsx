import { Button } from '@mantine/core';
import { IconCashRegister } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { usePatientInvoices } from '../api/billing.ts';
import { sum } from '../lib/money.ts';
import { useMoney } from './format.ts';

/** The patient page's billing action: the patient's open balance at this clinic, opening their invoices at the desk. */
export function PatientBillingButton({ patientId, mrn }: { patientId: string; mrn: string }) {
  const { t } = useTranslation('billing');
  const { can } = useAuth();
  const money = useMoney();
  const allowed = can('billing:read');
  const invoices = usePatientInvoices(patientId, allowed);
  if (!allowed) return null;
  const open = (invoices.data ?? []).filter((i) => i.status !== 'void');
  const currencies = [...new Set(open.map((i) => i.currency))];
  const balance = currencies
    .map((c) =>
      money(
        sum(
          open.filter((i) => i.currency === c).map((i) => i.balance),
          c,
        ),
        c,
      ),
    )
    .join(' + ');
  return (
    <Button
      variant="default"
      component={Link}
      to={`/billing?q=${encodeURIComponent(mrn)}`}
      leftSection={<IconCashRegister size={16} aria-hidden />}
      data-testid="patient-billing"
    >
      {open.length ? t('chart.button', { amount: balance }) : t('chart.title')}
    </Button>
  );
}
