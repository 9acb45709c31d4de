import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../../lib/errors.ts';
import { useOpenLetter, useVisitSummary } from '../api/letters.ts';

const LANGUAGES = ['en', 'fr'] as const;

/**
 * "Visit summary (PDF)" on a signed note: issues the summary for the patient (the first time; afterwards
 * the same letter and verification code) in the language of the interface, or the one picked from the
 * menu beside it, and opens its PDF in a new tab.
 */
export function VisitSummaryButton({ patientId, encounterId }: { patientId: string; encounterId: string }) {
  const { t, i18n } = useTranslation('letters');
  const summary = useVisitSummary(patientId, encounterId);
  const open = useOpenLetter();
  const ui = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';

  const issue = async (language: 'en' | 'fr') => {
    // the tab opens at the click (no pop-up blocker), and shows the PDF once it has arrived
    const tab = window.open('', '_blank');
    try {
      const letter = await summary.mutateAsync(language);
      await open(letter, false, tab);
    } catch (err) {
      tab?.close();
      notifyError(err, t);
    }
  };

  return (
    <Button.Group>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconFileTypePdf size={14} aria-hidden />}
        loading={summary.isPending}
        onClick={() => void issue(ui)}
      >
        {t('visitSummary.action')}
      </Button>
      {/* opens at once (never caught mid-transition); no focus placeholder among the items (a menu holds menu items only) */}
      <Menu position="bottom-end" withinPortal transitionProps={{ duration: 0 }} withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button size="xs" variant="default" px={6} aria-label={t('visitSummary.language')} disabled={summary.isPending}>
            <IconChevronDown size={14} aria-hidden />
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {LANGUAGES.map((l) => (
            <Menu.Item key={l} onClick={() => void issue(l)} lang={l}>
              {t(`visitSummary.in.${l}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    </Button.Group>
  );
}
