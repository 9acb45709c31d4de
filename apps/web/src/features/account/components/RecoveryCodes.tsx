import { useState } from 'react';
import { Alert, Button, Checkbox, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Shown once, right after 2FA is turned on: the server keeps only hashes of these codes. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation('account');
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');

  const download = () => {
    const blob = new Blob([`${t('account.twoFactor.codesFileHeader')}\n\n${text}\n`], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'sanita-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack gap="sm">
      <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title={t('account.twoFactor.codesTitle')}>
        {t('account.twoFactor.codesHelp')}
      </Alert>
      <Paper p="md" bg="gray.0">
        <SimpleGrid
          cols={2}
          spacing="xs"
          component="ul"
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
          data-testid="recovery-codes"
        >
          {codes.map((code) => (
            <Text key={code} component="li" ff="monospace" size="sm" fw={600}>
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group gap="xs">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              size="xs"
              onClick={copy}
              leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            >
              {copied ? t('common.copied') : t('account.twoFactor.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" size="xs" onClick={download} leftSection={<IconDownload size={14} aria-hidden />}>
          {t('account.twoFactor.downloadCodes')}
        </Button>
      </Group>
      <Checkbox label={t('account.twoFactor.savedCodes')} checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Group justify="flex-end">
        <Button onClick={onDone} disabled={!saved}>
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}
