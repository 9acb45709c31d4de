import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/fr';
import { en } from './en.ts';
import { fr } from './fr.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

/** The namespace of the strings every page shares (lib/i18n/en.ts, fr.ts). */
export const SHARED_NAMESPACE = 'translation';

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
  // Shared strings (common words, the shell, errors, validation, status pages…) are the default namespace and
  // the fallback of every feature's own namespace, which the features add with registerStrings.
  resources: { en: { [SHARED_NAMESPACE]: en }, fr: { [SHARED_NAMESPACE]: fr } },
  defaultNS: SHARED_NAMESPACE,
  fallbackNS: SHARED_NAMESPACE,
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToDocument(i18n.language);

const featureNamespaces: string[] = [];

/** Adds a feature's strings as its own namespace (`useTranslation('<namespace>')`, `t('<namespace>:key')`). */
export function registerStrings(namespace: string, strings: { en: object; fr: object }): void {
  if (namespace === SHARED_NAMESPACE) throw new Error(`"${namespace}" is the shared namespace`);
  i18n.addResourceBundle('en', namespace, strings.en);
  i18n.addResourceBundle('fr', namespace, strings.fr);
  if (!featureNamespaces.includes(namespace)) featureNamespaces.push(namespace);
}

/**
 * Where strings that name a domain's things are looked up — the sentence of an API error code
 * (`errors.<CODE>`), a permission's name (`permissions.…`), an audit action's label
 * (`auditActions.…`): the shared strings (for what every domain has), then every feature's namespace
 * (a domain declares its own with its feature, so adding one edits no shared strings).
 */
export function lookupNamespaces(): string[] {
  return [SHARED_NAMESPACE, ...featureNamespaces];
}

export { i18n };
