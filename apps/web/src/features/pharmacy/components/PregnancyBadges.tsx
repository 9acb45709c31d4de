import { Badge } from '@mantine/core';
import type { WorklistEntry } from '@sanita/contracts/pharmacy';
import { useTranslation } from 'react-i18next';

/** What the prescriber recorded about pregnancy and breastfeeding when signing: the pharmacist counsels with it. */
export function PregnancyBadges({ entry }: { entry: Pick<WorklistEntry, 'pregnant' | 'breastfeeding'> }) {
  const { t } = useTranslation('pharmacy');
  return (
    <>
      {entry.pregnant && (
        <Badge color="orange" variant="light">
          {t('worklist.pregnant')}
        </Badge>
      )}
      {entry.breastfeeding && (
        <Badge color="orange" variant="light">
          {t('worklist.breastfeeding')}
        </Badge>
      )}
    </>
  );
}
