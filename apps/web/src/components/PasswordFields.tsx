import { PasswordInput, Progress, Stack, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** A rough guide while typing; the server has the final word (breached-password list). */
function strength(password: string): number {
  let score = 0;
  if (password.length >= PASSWORD_MIN) score += 25;
  if (password.length >= 12) score += 25;
  if (/[a-z]/.test(password) && /[A-Z]/.test(password)) score += 20;
  if (/\d/.test(password)) score += 15;
  if (/[^A-Za-z0-9]/.test(password)) score += 15;
  return Math.min(100, score);
}

export function validatePassword(value: string, t: (key: string, opts?: Record<string, unknown>) => string): string | null {
  if (value.length < PASSWORD_MIN) return t('validation.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  if (value.length > PASSWORD_MAX) return t('validation.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  return null;
}

interface Values {
  password: string;
  confirmPassword: string;
}

/** New password plus its confirmation, with a strength hint. */
export function NewPasswordFields<T extends Values>({ form, label }: { form: UseFormReturnType<T>; label?: string }) {
  const { t } = useTranslation();
  const value = form.getValues().password;
  const score = strength(value);
  const color = score < 50 ? 'red' : score < 80 ? 'orange' : 'green';
  return (
    <Stack gap="sm">
      <div>
        <PasswordInput
          label={label ?? t('auth.newPassword')}
          description={t('auth.passwordRules', { min: PASSWORD_MIN })}
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        {value.length > 0 && (
          <>
            <Progress value={score} color={color} size={4} mt={6} aria-hidden />
            <Text size="xs" c="dimmed" mt={2}>
              {t(score < 50 ? 'auth.strength.weak' : score < 80 ? 'auth.strength.fair' : 'auth.strength.strong')}
            </Text>
          </>
        )}
      </div>
      <PasswordInput
        label={t('auth.confirmPassword')}
        autoComplete="new-password"
        required
        {...form.getInputProps('confirmPassword')}
      />
    </Stack>
  );
}
