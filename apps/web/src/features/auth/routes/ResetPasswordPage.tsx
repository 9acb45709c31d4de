import { useTranslation } from 'react-i18next';
import { useResetPassword } from '../api/auth.ts';
import { TokenPasswordForm } from '../components/TokenPasswordForm.tsx';

export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const reset = useResetPassword();
  return (
    <TokenPasswordForm
      title={t('auth.reset.title')}
      subtitle={t('auth.reset.subtitle')}
      submitLabel={t('auth.reset.submit')}
      successMessage={t('auth.reset.done')}
      missingTokenMessage={t('auth.reset.missingToken')}
      invalidTokenMessage={t('auth.reset.invalidToken')}
      pending={reset.isPending}
      submit={reset.mutateAsync}
    />
  );
}
