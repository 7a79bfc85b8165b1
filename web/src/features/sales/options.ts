import type { ProductOption, SalesProduct } from './queries';

type Condition = { option: string; in?: (string | number | boolean)[]; min?: number; max?: number };

/** Whether one of the catalogue's conditions holds for a configuration (the same reading as the server's). */
function holds(c: Condition, config: Record<string, unknown>): boolean {
  const v = config[c.option];
  if (v === undefined || v === null) return false;
  const values = Array.isArray(v) ? v : [v];
  if (c.in && !values.some((x) => c.in!.includes(x as string | number | boolean))) return false;
  if (c.min !== undefined && !(typeof v === 'number' && v >= c.min)) return false;
  if (c.max !== undefined && !(typeof v === 'number' && v <= c.max)) return false;
  return true;
}

/** An option with a `when` is shown only while it applies (armour type only for armoured cable). */
export function applies(option: ProductOption, config: Record<string, unknown>) {
  return (option.when ?? []).every((c) => holds(c, config));
}

/** The catalogue's defaults: where a rep starts. */
export function defaultConfiguration(product: SalesProduct): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const o of product.definition.options) if (o.default !== undefined) config[o.code] = o.default;
  return config;
}

/** What is sent: only options that apply, so a hidden choice never trips a rule. */
export function effectiveConfiguration(product: SalesProduct, config: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const o of product.definition.options) {
    if (!applies(o, config)) continue;
    const v = config[o.code];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[o.code] = v;
  }
  return out;
}

/** Required options that apply and are still empty: the price waits for them rather than asking the server to refuse. */
export function missingOptions(product: SalesProduct, config: Record<string, unknown>): string[] {
  const effective = effectiveConfiguration(product, config);
  return product.definition.options
    .filter((o) => applies(o, config) && o.required && o.kind !== 'boolean' && !(o.kind === 'choice' && o.multiple && (o.multiple.min ?? 0) === 0))
    .filter((o) => effective[o.code] === undefined)
    .map((o) => o.label);
}
