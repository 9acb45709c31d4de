import { useEffect } from 'react';
import { Button, Group, List, NumberInput, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { NEWS2_MAX_ESCALATION } from '@sanita/contracts/chart';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { useNews2Settings, useSaveNews2Settings } from '../api/alerts.ts';

/**
 * The active clinic's clinical alert settings (settings:write): how long an open NEWS2 alert waits for an
 * acknowledgement before it escalates, each level telling the clinic again and e-mailing its doctors.
 */
export function AlertSettingsPage() {
  const { t } = useTranslation('chart');
  const { activeClinic } = useAuth();
  const settings = useNews2Settings();
  const save = useSaveNews2Settings();
  const form = useForm<{ escalationMinutes: number | string }>({
    initialValues: { escalationMinutes: '' },
    validate: {
      escalationMinutes: (v) =>
        typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1440 ? null : t('alertSettings.minutesInvalid'),
    },
  });
  const loaded = settings.data?.escalationMinutes;
  useEffect(() => {
    if (loaded !== undefined) {
      form.setInitialValues({ escalationMinutes: loaded });
      form.setValues({ escalationMinutes: loaded });
    }
    // the form follows the saved value (first load, another clinic chosen)
  }, [loaded]);
  const minutes = typeof form.values.escalationMinutes === 'number' ? form.values.escalationMinutes : null;

  return (
    <>
      <PageHeader
        title={t('alertSettings.title')}
        description={t('alertSettings.subtitle', { clinic: activeClinic?.name ?? '' })}
      />
      <Paper withBorder p="md" maw={640}>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('alertSettings.news2Title')}
          </Title>
          <List size="sm" spacing={4}>
            <List.Item>{t('alertSettings.ruleRaise')}</List.Item>
            <List.Item>{t('alertSettings.ruleAck')}</List.Item>
            <List.Item>{t('alertSettings.ruleEscalate', { levels: NEWS2_MAX_ESCALATION })}</List.Item>
          </List>
          {settings.isError ? (
            <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
          ) : settings.isPending ? (
            <Skeleton h={60} aria-busy />
          ) : (
            <form
              onSubmit={form.onSubmit((values) =>
                save.mutate(
                  { escalationMinutes: Number(values.escalationMinutes) },
                  {
                    onSuccess: (saved) => {
                      form.setInitialValues({ escalationMinutes: saved.escalationMinutes });
                      form.resetDirty();
                      notifySuccess(t('alertSettings.saved', { minutes: saved.escalationMinutes }));
                    },
                    onError: (err) => handleFormError(form, err, t),
                  },
                ),
              )}
            >
              <Stack gap="sm">
                <NumberInput
                  label={t('alertSettings.minutes')}
                  description={t('alertSettings.minutesHelp')}
                  min={1}
                  max={1440}
                  step={5}
                  allowDecimal={false}
                  suffix={` ${t('alertSettings.minutesUnit')}`}
                  withAsterisk
                  maw={260}
                  {...form.getInputProps('escalationMinutes')}
                />
                {minutes !== null && minutes >= 1 && minutes <= 1440 && (
                  <Text size="sm" c="dimmed" aria-live="polite">
                    {t('alertSettings.preview', {
                      first: minutes,
                      last: minutes * NEWS2_MAX_ESCALATION,
                      levels: NEWS2_MAX_ESCALATION,
                    })}
                  </Text>
                )}
                <Group justify="flex-end">
                  <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                    {t('common.cancel')}
                  </Button>
                  <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                    {t('common.save')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </>
  );
}
