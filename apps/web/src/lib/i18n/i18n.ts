import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/fr';
import { en } from './en.ts';
import { fr } from './fr.ts';
import * as frontdesk from './frontdesk.ts';
import * as scheduling from './scheduling.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'sanita.language';

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** The language the user picked explicitly, if any; it wins over the account's default. */
export function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language.slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

function applyToDocument(language: string) {
  document.documentElement.lang = language;
  dayjs.locale(language);
}

export async function changeLanguage(language: string, remember = true): Promise<void> {
  if (!isLanguage(language)) return;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Storage may be unavailable; the language still changes for this page.
    }
  }
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

i18n.on('languageChanged', applyToDocument);

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: { ...en, ...frontdesk.en, ...scheduling.en } },
    fr: { translation: { ...fr, ...frontdesk.fr, ...scheduling.fr } },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToDocument(i18n.language);

export { i18n };
