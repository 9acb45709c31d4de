import { Group, NativeSelect, Text } from '@mantine/core';
import { IconBuildingHospital } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../lib/auth/AuthProvider.tsx';
import { notifyError, notifySuccess } from '../../lib/errors.ts';

export function ClinicSwitcher() {
  const { t } = useTranslation();
  const me = useMe();
  const { switchClinic, activeClinic } = useAuth();

  if (me.clinics.length <= 1) {
    if (!activeClinic) return null;
    return (
      <Group gap={6} wrap="nowrap" data-testid="active-clinic">
        <IconBuildingHospital size={16} aria-hidden />
        <Text size="sm" fw={500} truncate>
          {activeClinic.name}
        </Text>
      </Group>
    );
  }

  return (
    <NativeSelect
      aria-label={t('shell.activeClinic')}
      data={me.clinics.map((c) => ({ value: c.id, label: c.name }))}
      value={me.clinicId ?? ''}
      size="xs"
      w={230}
      leftSection={<IconBuildingHospital size={16} aria-hidden />}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (!value || value === me.clinicId) return;
        const name = me.clinics.find((c) => c.id === value)?.name ?? '';
        switchClinic(value).then(
          () => notifySuccess(t('shell.clinicSwitched', { clinic: name })),
          (err: unknown) => notifyError(err, t),
        );
      }}
    />
  );
}
