import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconArrowLeft, IconCalendarShare, IconCheck, IconCopy, IconEdit, IconSettings } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { InfoItem, InfoList } from '../../../components/InfoList.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useClinics } from '../../../lib/api/clinics.ts';
import { useAuth, useMe } from '../../../lib/auth/AuthProvider.tsx';
import { handleFormError, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useForm } from '@mantine/form';
import { localName } from '../api/masterdata.ts';
import { useCreateIcalToken, usePractitioner, useUpdatePractitioner, type Practitioner } from '../api/practitioners.ts';
import { AvailabilityEditor, AvailabilityTitle } from '../components/AvailabilityEditor.tsx';
import { ExceptionsCard } from '../components/ExceptionsCard.tsx';
import { PractitionerAdminForm } from '../components/PractitionerAdminForm.tsx';
import { formatFee, useSlotFormatter } from './PractitionersPage.tsx';

export function PractitionerPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('scheduling');
  const me = useMe();
  const { can, activeClinic } = useAuth();
  const query = usePractitioner(id);
  const clinics = useClinics();
  const slotText = useSlotFormatter();
  const [clinicId, setClinicId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [administering, setAdministering] = useState(false);
  const language = i18n.resolvedLanguage ?? 'en';

  const back = (
    <Anchor component={Link} to="/practitioners" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden />
        {t('practitioners.back')}
      </Group>
    </Anchor>
  );

  if (query.isPending) {
    return (
      <Stack aria-busy>
        <Skeleton h={40} w={300} />
        <Skeleton h={140} />
        <Skeleton h={240} />
      </Stack>
    );
  }
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const p = query.data;
  const self = p.userId !== null && p.userId === me.id;
  const canEditAvailability = self || can('availability:write');
  // administrators change practitioners of their active clinic (the server answers 404 for others)
  const canAdminister = can('settings:write') && !!activeClinic && p.clinicIds.includes(activeClinic.id);
  const canEditProfile = self || can('settings:write');
  const allClinics = clinics.data?.data ?? [];
  const myClinics = allClinics.filter((c) => p.clinicIds.includes(c.id));
  const selectedClinic =
    clinicId ?? (activeClinic && p.clinicIds.includes(activeClinic.id) ? activeClinic.id : (p.clinicIds[0] ?? null));
  const zone = allClinics.find((c) => c.id === selectedClinic)?.timezone ?? activeClinic?.timezone ?? 'UTC';

  return (
    <>
      <PageHeader
        above={back}
        title={p.displayName}
        description={p.specialties.map((s) => localName(s, language)).join(', ')}
        actions={
          <>
            {canAdminister && (
              <Button
                variant="default"
                leftSection={<IconSettings size={16} aria-hidden />}
                onClick={() => setAdministering(true)}
              >
                {t('practitioners.admin.edit')}
              </Button>
            )}
            {canEditProfile && (
              <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setEditing(true)}>
                {t('practitioners.editProfile')}
              </Button>
            )}
            {canEditProfile && <IcalButton practitioner={p} />}
          </>
        }
      />
      <Stack gap="md">
        <Paper p="md">
          <Text fw={600} mb="xs">
            {t('practitioners.profile')}
          </Text>
          <InfoList>
            <InfoItem label={t('practitioners.licence')}>{p.licenceNumber}</InfoItem>
            <InfoItem label={t('practitioners.languages')}>
              {p.languages.map((l) => t(`languages.${l}`, { defaultValue: l })).join(', ')}
            </InfoItem>
            <InfoItem label={t('practitioners.fee')}>{formatFee(p, language) ?? t('practitioners.noFee')}</InfoItem>
            <InfoItem label={t('practitioners.clinics')}>{myClinics.map((c) => c.name).join(', ')}</InfoItem>
            <InfoItem label={t('practitioners.nextFree')}>
              {p.nextFreeSlot ? slotText(p.nextFreeSlot) : t('practitioners.noneFree')}
            </InfoItem>
            <InfoItem label={t('practitioners.bio')}>{p.bio}</InfoItem>
          </InfoList>
          <Group gap="xs" mt="sm">
            {p.requiresConfirmation && (
              <Badge variant="light" color="yellow">
                {t('practitioners.needsConfirmation')}
              </Badge>
            )}
            {!p.active && (
              <Badge variant="light" color="gray">
                {t('practitioners.inactive')}
              </Badge>
            )}
            {p.icalEnabled && (
              <Badge variant="light" color="teal">
                {t('practitioners.ical.enabled')}
              </Badge>
            )}
          </Group>
        </Paper>
        <Paper p="md">
          <Group justify="space-between" align="flex-end" mb="sm">
            <AvailabilityTitle />
            {myClinics.length > 1 && (
              <Select
                label={t('availability.clinic')}
                data={myClinics.map((c) => ({ value: c.id, label: c.name }))}
                value={selectedClinic}
                onChange={setClinicId}
                allowDeselect={false}
                w={240}
              />
            )}
          </Group>
          {selectedClinic && <AvailabilityEditor practitionerId={p.id} clinicId={selectedClinic} canEdit={canEditAvailability} />}
        </Paper>
        {selectedClinic && (
          <Paper p="md">
            <ExceptionsCard practitionerId={p.id} clinicId={selectedClinic} timezone={zone} canEdit={canEditAvailability} />
          </Paper>
        )}
      </Stack>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing}
        onClose={() => setEditing(false)}
        title={t('practitioners.editProfile')}
        centered
      >
        {editing && <ProfileForm practitioner={p} onClose={() => setEditing(false)} />}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={administering}
        onClose={() => setAdministering(false)}
        title={t('practitioners.admin.editTitle', { name: p.displayName })}
        centered
      >
        {administering && <PractitionerAdminForm practitioner={p} onClose={() => setAdministering(false)} />}
      </Modal>
    </>
  );
}

function ProfileForm({ practitioner, onClose }: { practitioner: Practitioner; onClose: () => void }) {
  const { t } = useTranslation('scheduling');
  const update = useUpdatePractitioner(practitioner.id);
  const form = useForm<{ bio: string; languages: string[]; feeAmount: number | string; feeCurrency: string }>({
    initialValues: {
      bio: practitioner.bio ?? '',
      languages: practitioner.languages,
      feeAmount: practitioner.feeAmount ?? '',
      feeCurrency: practitioner.feeCurrency ?? '',
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        update.mutate(
          {
            bio: v.bio.trim() || null,
            languages: v.languages.map((l) => l.trim().toLowerCase()),
            feeAmount: v.feeAmount === '' ? null : Number(v.feeAmount),
            feeCurrency: v.feeCurrency.trim().toUpperCase() || null,
          },
          {
            onSuccess: () => {
              notifySuccess(t('practitioners.profileSaved'));
              onClose();
            },
            onError: (err) => handleFormError(form, err, t, { 'languages/0': 'languages' }),
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Textarea label={t('practitioners.bio')} autosize minRows={3} maxLength={2000} {...form.getInputProps('bio')} />
        <TagsInput
          label={t('practitioners.languages')}
          description={t('practitioners.languagesHelp')}
          {...form.getInputProps('languages')}
        />
        <Group grow>
          <NumberInput label={t('practitioners.feeAmount')} min={0} decimalScale={2} {...form.getInputProps('feeAmount')} />
          <TextInput
            label={t('practitioners.feeCurrency')}
            maxLength={3}
            placeholder="USD"
            {...form.getInputProps('feeCurrency')}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The feed URL exists only in this answer (the server keeps its hash): show it once, with a copy button. */
function IcalButton({ practitioner }: { practitioner: Practitioner }) {
  const { t } = useTranslation('scheduling');
  const create = useCreateIcalToken(practitioner.id);
  const [url, setUrl] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const issue = () =>
    create.mutate(undefined, {
      onSuccess: (res) => {
        setUrl(res.url);
        setOpen(true);
      },
      onError: (err) => notifyError(err, t),
    });
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconCalendarShare size={16} aria-hidden />}
        onClick={issue}
        loading={create.isPending}
      >
        {practitioner.icalEnabled ? t('practitioners.ical.replace') : t('practitioners.ical.button')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => {
          setOpen(false);
          setUrl(null);
        }}
        title={t('practitioners.ical.title')}
        centered
        size="lg"
      >
        <Stack gap="sm">
          <Text size="sm">{t('practitioners.ical.help')}</Text>
          <TextInput
            label={t('practitioners.ical.fieldLabel')}
            value={url ?? ''}
            readOnly
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group justify="flex-end">
            <CopyButton value={url ?? ''}>
              {({ copied, copy }) => (
                <Button
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  onClick={copy}
                >
                  {copied ? t('practitioners.ical.copied') : t('practitioners.ical.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
