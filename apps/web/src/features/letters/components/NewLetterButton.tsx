import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCertificate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LetterForm } from './LetterForm.tsx';

/** "New letter": a certificate, sick note or referral for this patient (from this consultation, when given). */
export function NewLetterButton({
  patientId,
  encounterId,
  variant = 'default',
}: {
  patientId: string;
  encounterId?: string;
  variant?: 'default' | 'filled' | 'light';
}) {
  const { t } = useTranslation('letters');
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant={variant} leftSection={<IconCertificate size={16} aria-hidden />} onClick={open}>
        {t('new')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('new')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <LetterForm patientId={patientId} encounterId={encounterId} onDone={close} />
      </Modal>
    </>
  );
}
