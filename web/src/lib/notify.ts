import { notifications } from '@mantine/notifications';
import i18n from '@/i18n';
import { ApiError } from './api-error';

/** Human text for an error: the server's message for API errors, a generic one otherwise. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'stale_version') return i18n.t('errors.staleVersion');
    return error.message || i18n.t('errors.unexpected');
  }
  if (error instanceof TypeError) return i18n.t('errors.network');
  if (error instanceof Error && error.message) return error.message;
  return i18n.t('errors.unexpected');
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', title: i18n.t('common.success'), message });
}

export function notifyError(error: unknown, title?: string): void {
  notifications.show({ color: 'red', title: title ?? i18n.t('common.error'), message: errorMessage(error), autoClose: 8000 });
}
