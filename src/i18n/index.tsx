import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zh, type MessageKey } from './zh.ts';
import { isoDate } from '../panels/format.ts';

export type Lang = 'zh' | 'en';
export type { MessageKey };

type Dictionary = Record<MessageKey, string>;

// Chinese, the default, comes with the first load; English is its own chunk, fetched when it is chosen
// (or was chosen before: the provider waits for it then).
const dictionaries: Partial<Record<Lang, Dictionary>> = { zh };
const loaders: Record<Lang, () => Promise<Dictionary>> = {
  zh: () => Promise.resolve(zh),
  en: () => import('./en.ts').then((m) => m.en),
};

/** Makes a language's words available to `translator` and the provider. */
export async function loadLanguage(lang: Lang): Promise<void> {
  dictionaries[lang] ??= await loaders[lang]();
}
const STORAGE_KEY = 'onemap.lang';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A key built at run time (`status.${s}`): its text if there is one, else the fallback. */
  tr(key: string, fallback?: string): string;
  /** Numbers and dates in the UI language. */
  num(n: number, digits?: number): string;
  date(d: Date | string | number, withTime?: boolean): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage can be blocked (private mode, kiosk policies); Chinese is the default anyway
  }
}

function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translator(lang: Lang): Pick<I18n, 't' | 'tr' | 'num' | 'date'> {
  // A language not loaded yet (loadLanguage) reads as Chinese rather than as bare keys.
  const dict = dictionaries[lang] ?? zh;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const nf = new Map<number, Intl.NumberFormat>();
  return {
    t: (key, vars) => fill(dict[key] ?? key, vars),
    tr: (key, fallback) => (dict as Record<string, string>)[key] ?? fallback ?? key,
    num: (n, digits = 0) => {
      let f = nf.get(digits);
      if (!f) nf.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
      return f.format(n);
    },
    date: isoDate,
  };
}

export function I18nProvider({ children }: { children: ReactNode }) {
  // null while the language chosen on an earlier visit is being fetched: nothing is shown in the wrong one.
  const [lang, setLangState] = useState<Lang | null>(() => {
    const l = initialLang();
    return dictionaries[l] ? l : null;
  });

  useEffect(() => {
    if (lang !== null) return;
    const wanted = initialLang();
    loadLanguage(wanted).then(() => setLangState(wanted), () => setLangState('zh'));
  }, [lang]);

  // The switch happens once the words are there; should they fail to load, the UI stays as it is.
  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* not persisted; the switch still works for this session */
    }
    loadLanguage(next).then(() => setLangState(next), (e: unknown) => console.warn('[i18n]', next, e));
  }, []);

  useEffect(() => {
    if (!lang) return;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${translator(lang).t('app.title')} · ${lang === 'zh' ? 'Wuchang One-Map' : '武昌“一张图”'}`;
  }, [lang]);

  const value = useMemo<I18n | null>(() => (lang ? { lang, setLang, ...translator(lang) } : null), [lang, setLang]);
  if (!value) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}

export function useT(): I18n['t'] {
  return useI18n().t;
}
