import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { InviteBody } from '@sanita/contracts/admin';
import { useClinics } from '../../../lib/api/clinics.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notifySuccess } from '../../../lib/errors.ts';
import { currentLanguage, LANGUAGES } from '../../../lib/i18n/i18n.ts';
import { fieldRule } from '../../../lib/validation.ts';
import { useInviteUser, type UserMembership } from '../api/users.ts';
import { MembershipsEditor, membershipsError } from './MembershipsEditor.tsx';

export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const { me } = useAuth();
  const clinics = useClinics();
  const invite = useInviteUser();
  const form = useForm({
    initialValues: {
      email: '',
      displayName: '',
      locale: currentLanguage(),
      memberships: [{ clinicId: me?.clinicId ?? '', role: '' }] as UserMembership[],
    },
    validate: {
      email: fieldRule(InviteBody.properties.email, t),
      displayName: fieldRule(InviteBody.properties.displayName, t),
      memberships: (v) => membershipsError(v, t),
    },
  });

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    invite.mutate(
      { ...values, email: values.email.trim(), displayName: values.displayName.trim() },
      {
        onSuccess: (user) => {
          notifySuccess(t('admin.users.invited', { email: user.email }));
          close();
        },
        onError: (err) => handleFormError(form, err, t),
      },
    ),
  );

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={close}
      title={t('admin.users.inviteTitle')}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('admin.users.inviteHelp')}
          </Text>
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            data-autofocus
            autoComplete="off"
            {...form.getInputProps('email')}
          />
          <Group grow align="flex-start">
            <TextInput label={t('admin.users.displayName')} required autoComplete="off" {...form.getInputProps('displayName')} />
            <NativeSelect
              label={t('common.language')}
              data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              {...form.getInputProps('locale')}
            />
          </Group>
          <MembershipsEditor
            value={form.getValues().memberships}
            onChange={(v) => form.setFieldValue('memberships', v)}
            clinics={clinics.data?.data ?? []}
            error={typeof form.errors.memberships === 'string' ? form.errors.memberships : null}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              {t('admin.users.sendInvitation')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
