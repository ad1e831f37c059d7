// t(key, params): the one way the app turns a message key into words (catalogue: ./en.ts).
import { en, type MessageKey } from './en';

export type { MessageKey };
export type MessageParams = Readonly<Record<string, string | number>>;

const catalogue: Readonly<Record<MessageKey, string>> = en;

// The locale Intl formats with: the catalogue's own, so words and numbers agree.
export const locale: string = catalogue['meta.locale'];

const pluralRules = new Intl.PluralRules(locale);
const numberFormat = new Intl.NumberFormat(locale);

function fill(text: string, params: MessageParams | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat.format(value) : value;
  });
}

export function t(key: MessageKey, params?: MessageParams): string {
  return fill(catalogue[key], params);
}

// Keys with plural forms: those whose ".one" and ".other" variants both exist.
type PluralBase<K> = K extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never;
export type PluralKey = PluralBase<MessageKey>;

// The plural form of `base` for `count` (CLDR rules through Intl.PluralRules), with {count} filled in.
export function tn(base: PluralKey, count: number, params?: MessageParams): string {
  const form = pluralRules.select(count);
  const key = `${base}.${form}` as MessageKey;
  const text = key in catalogue ? catalogue[key] : catalogue[`${base}.other` as MessageKey];
  return fill(text, { ...params, count });
}
