import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceStatus } from '@sanita/contracts/billing';
import { formatMoney } from '../lib/money.ts';

export const STATUS_COLORS: Record<InvoiceStatus, string> = {
  draft: 'gray',
  issued: 'blue',
  partially_paid: 'orange',
  paid: 'green',
  void: 'red',
};

/** Money as the reader writes it: "1,250.50 USD", "1 250,50 USD". */
export function useMoney() {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useCallback((text: string | null | undefined, currency: string) => formatMoney(text, currency, language), [language]);
}
