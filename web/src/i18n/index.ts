import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import en from './en';
import ru from './ru';

dayjs.extend(localizedFormat);

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = { en: { translation: en }, ru: { translation: ru } } as const;

const STORAGE_KEY = 'itmgr.language';

function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function isLanguage(v: string): v is Language {
  return (LANGUAGES as readonly string[]).includes(v);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

function applyLanguage(lng: string) {
  document.documentElement.lang = lng;
  dayjs.locale(lng === 'ru' ? 'ru' : 'en');
}
applyLanguage(i18n.language);

i18n.on('languageChanged', (lng) => {
  applyLanguage(lng);
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // ignore
  }
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

export default i18n;
