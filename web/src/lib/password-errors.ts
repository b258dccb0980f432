import type { TFunction } from 'i18next';
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

/** The translated form error for a password, or null when it meets the policy. */
export function passwordError(t: TFunction, password: string, username: string): string | null {
  switch (checkPassword(password, username)) {
    case 'required':
      return t('validation.required');
    case 'too_short':
      return t('validation.passwordTooShort', { min: MIN_PASSWORD_LENGTH });
    case 'too_long':
      return t('validation.tooLong', { max: MAX_PASSWORD_LENGTH });
    case 'contains_username':
      return t('validation.passwordContainsUsername');
    case 'repeated':
      return t('validation.passwordRepeated');
    default:
      return null;
  }
}
