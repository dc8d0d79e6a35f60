import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zh, type MessageKey } from './zh.ts';
import { en } from './en.ts';
import { isoDate } from '../panels/format.ts';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en };
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
  const dict = dictionaries[lang];
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
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* not persisted; the switch still works for this session */
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${dictionaries[lang]['app.title']} · ${lang === 'zh' ? 'Wuchang One-Map' : '武昌“一张图”'}`;
  }, [lang]);

  const value = useMemo<I18n>(() => ({ lang, setLang, ...translator(lang) }), [lang, setLang]);
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
