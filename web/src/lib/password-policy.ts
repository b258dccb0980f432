/**
 * Mirrors the server's password policy (domain `NewPassword`): 12–256 characters, must not
 * contain the user name, not one character repeated. The server stays the authority.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'required' | 'too_short' | 'too_long' | 'contains_username' | 'repeated';

export function checkPassword(password: string, username?: string): PasswordProblem | null {
  if (!password) return 'required';
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (chars.length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (username && password.toLowerCase().includes(username.trim().toLowerCase())) return 'contains_username';
  if (chars.every((c) => c === chars[0])) return 'repeated';
  return null;
}
