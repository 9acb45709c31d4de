import { Anchor, Group, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { NotFoundPage } from '../../../components/StatusPage.tsx';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { usePatient } from '../../patients/index.ts';
import { DocumentsSection } from './DocumentsSection.tsx';

/**
 * A patient's documents outside the chart (`/patients/:id/documents`): the front desk, who does not
 * open charts, scans and files identity documents, referral letters and consents here.
 */
export function PatientDocumentsPage() {
  const { t } = useTranslation('documents');
  const { id = '' } = useParams();
  const { can } = useAuth();
  const patient = usePatient(id);
  const back = can('patients:read') ? (
    <Anchor component={Link} to={`/patients/${id}`} size="sm" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('documents.backToRecord')}
      </Group>
    </Anchor>
  ) : null;
  if (patient.isPending) return <Skeleton h={320} radius="md" />;
  if (patient.isError) {
    if (isApiError(patient.error) && (patient.error.status === 404 || patient.error.status === 400)) return <NotFoundPage />;
    return <QueryError error={patient.error} onRetry={() => void patient.refetch()} />;
  }
  return (
    <Stack gap="xs">
      {back}
      <DocumentsSection
        patient={patient.data}
        heading={t('documents.of', { name: `${patient.data.givenName} ${patient.data.familyName}` })}
      />
    </Stack>
  );
}
