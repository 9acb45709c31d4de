import { useTranslation } from 'react-i18next';
import { AccessLogTable } from '../../../components/AccessLogTable.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { portalKeys, useMyAccessLogFetcher } from '../api/portal.ts';

export function PortalAccessPage() {
  const { t } = useTranslation('portal');
  const fetchPage = useMyAccessLogFetcher();
  return (
    <>
      <PageHeader title={t('portal.access.title')} description={t('portal.access.subtitle')} />
      <AccessLogTable queryKey={portalKeys.accessLog} fetchPage={fetchPage} caption={t('portal.access.title')} />
    </>
  );
}
