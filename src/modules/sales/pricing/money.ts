/** ISO 4217 codes as Intl knows them; the number of decimals comes from Intl too (JPY 0, USD 2, KWD 3). */
const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return true;
  }
}

/** Rounds half away from zero to the currency's minor unit; the scaled integer avoids 1.005 → 1.00. */
export function roundMoney(amount: number, currency: string): number {
  const f = 10 ** currencyDigits(currency);
  const scaled = Math.round(Math.abs(amount) * f + 1e-7) / f;
  return amount < 0 ? -scaled : scaled;
}

export function formatMoney(amount: number, currency: string, locale = 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(amount);
}

export const roundPercent = (x: number) => Math.round(x * 100) / 100;
