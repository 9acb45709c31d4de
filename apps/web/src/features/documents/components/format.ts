import type { TFunction } from 'i18next';

/** A file size as people read it: B, KB or MB, one decimal above 10 KB only when under 10 MB. */
export function formatSize(bytes: number, t: TFunction, locale: string): string {
  const n = (v: number, digits: number) => v.toLocaleString(locale, { maximumFractionDigits: digits });
  if (bytes < 1024) return t('documents:size.bytes', { n: n(bytes, 0) });
  if (bytes < 1024 * 1024) return t('documents:size.kb', { n: n(bytes / 1024, bytes < 10 * 1024 ? 1 : 0) });
  return t('documents:size.mb', { n: n(bytes / (1024 * 1024), 1) });
}
