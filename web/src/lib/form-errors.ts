import { ApiError } from './api-error';

/**
 * Maps a `validation_failed` error's `details.fields` onto form fields it knows.
 * Returns true when at least one field error was applied.
 */
export function applyFieldErrors(
  error: unknown,
  setFieldError: (field: string, message: string) => void,
  knownFields: readonly string[],
): boolean {
  if (!(error instanceof ApiError)) return false;
  let applied = false;
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    if (knownFields.includes(field)) {
      setFieldError(field, message);
      applied = true;
    }
  }
  return applied;
}
