import type { TFunction } from 'i18next';
import { passwordError } from '@/lib/password-errors';

export type ChangePasswordValues = { current_password: string; new_password: string; confirm: string };

/** Validation mirroring the server's policy. */
export function validateChangePassword(values: ChangePasswordValues, username: string, t: TFunction) {
  return {
    current_password: values.current_password ? null : t('validation.required'),
    new_password: passwordError(t, values.new_password, username),
    confirm: values.confirm === values.new_password ? null : t('validation.passwordsDiffer'),
  };
}
