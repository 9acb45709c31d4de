import { useTranslation } from 'react-i18next';
import { useAcceptInvitation } from '../api/auth.ts';
import { TokenPasswordForm } from '../components/TokenPasswordForm.tsx';

export function AcceptInvitationPage() {
  const { t } = useTranslation('auth');
  const accept = useAcceptInvitation();
  return (
    <TokenPasswordForm
      title={t('auth.invitation.title')}
      subtitle={t('auth.invitation.subtitle')}
      submitLabel={t('auth.invitation.submit')}
      successMessage={t('auth.invitation.done')}
      missingTokenMessage={t('auth.invitation.missingToken')}
      invalidTokenMessage={t('auth.invitation.invalidToken')}
      pending={accept.isPending}
      submit={accept.mutateAsync}
    />
  );
}
