import { ValidationError, type FieldIssue } from '../../../core/errors.js';
import {
  allHold,
  conditionHolds,
  describeCondition,
  type CatalogueProduct,
  type Configuration,
  type OptionValue,
  type ProductDefinition,
  type ProductOption,
} from './model.js';

/** One broken constraint: the option it is reported on, and the rule (or option check) that breaks. */
export interface ConfigurationViolation {
  option: string;
  /** A rule's code, or option:<check> for a check on a single option (required, range, step, choice…). */
  rule: string;
  message: string;
}

export type ConfigurationResult =
  | { ok: true; configuration: Configuration; customised: boolean }
  | { ok: false; violations: ConfigurationViolation[] };

const EPSILON = 1e-9;

/**
 * Checks a configuration against a product definition and returns it normalised (defaults filled in,
 * options that do not apply left out), or every violation found. Options are read in their declared
 * order so an option's availability may depend on the options before it (checkDefinition enforces that).
 */
export function validateConfiguration(definition: ProductDefinition, input: Readonly<Record<string, unknown>>): ConfigurationResult {
  const violations: ConfigurationViolation[] = [];
  const known = new Set(definition.options.map((o) => o.code));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) violations.push({ option: key, rule: 'option:unknown', message: `${key} is not an option of this product` });
  }
  const config: Configuration = {};
  let customised = false;
  for (const option of definition.options) {
    const given = input[option.code];
    const present = given !== undefined && given !== null;
    if (!allHold(option.when, config)) {
      if (present) {
        const because = (option.when ?? []).filter((c) => !conditionHolds(c, config)).map(describeCondition).join(' and ');
        violations.push({ option: option.code, rule: 'option:unavailable', message: `${option.label} applies only when ${because}` });
      }
      continue;
    }
    if (!present) {
      if (option.default !== undefined) config[option.code] = option.default;
      else if (option.kind === 'choice' && option.multiple && (option.multiple.min ?? 0) === 0) config[option.code] = [];
      else if (option.required) violations.push({ option: option.code, rule: 'option:required', message: `choose ${option.label}` });
      continue;
    }
    const checked = checkValue(option, given);
    if (!checked.ok) {
      violations.push({ option: option.code, rule: `option:${option.kind}`, message: checked.message });
      continue;
    }
    config[option.code] = checked.value;
    if (option.default === undefined || !sameValue(option.default, checked.value)) customised = true;
  }
  for (const rule of definition.rules) {
    if (!allHold(rule.when, config)) continue;
    for (const c of rule.then) {
      const holds = conditionHolds(c, config);
      // A condition on an option that failed its own check is already reported; do not pile on.
      if (violations.some((v) => v.option === c.option && v.rule.startsWith('option:'))) continue;
      if (rule.kind === 'requires' ? !holds : holds) violations.push({ option: c.option, rule: rule.code, message: rule.message });
    }
  }
  if (violations.length) return { ok: false, violations };
  return { ok: true, configuration: config, customised };
}

function sameValue(a: unknown, b: unknown) {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** The value, cleaned, or a message saying what is wrong with it. */
function checkValue(option: ProductOption, value: unknown): { ok: true; value: OptionValue } | { ok: false; message: string } {
  const ok = (v: OptionValue) => ({ ok: true as const, value: v });
  const bad = (message: string) => ({ ok: false as const, message });
  switch (option.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : bad(`${option.label} is yes or no (true/false)`);
    case 'number': {
      const n = typeof value === 'number' ? value : NaN;
      if (!Number.isFinite(n)) return bad(`${option.label} is a number of ${option.unit}`);
      if (n < option.min - EPSILON || n > option.max + EPSILON) return bad(`${option.label} must be between ${option.min} and ${option.max} ${option.unit}`);
      const steps = (n - option.min) / option.step;
      if (Math.abs(steps - Math.round(steps)) > 1e-6) return bad(`${option.label} comes in steps of ${option.step} ${option.unit} from ${option.min}`);
      return ok(n);
    }
    case 'choice': {
      const codes = new Set(option.choices.map((c) => c.code));
      const list = option.choices.map((c) => c.code).join(', ');
      if (option.multiple) {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return bad(`${option.label} is a list of choices (${list})`);
        const unknown = value.filter((v) => !codes.has(v as string));
        if (unknown.length) return bad(`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not offered for ${option.label} (choose from ${list})`);
        if (new Set(value).size !== value.length) return bad(`${option.label} lists a choice twice`);
        const { min = 0, max } = option.multiple;
        if (value.length < min) return bad(`choose at least ${min} for ${option.label}`);
        if (max !== undefined && value.length > max) return bad(`choose at most ${max} for ${option.label}`);
        return ok([...(value as string[])].sort());
      }
      const code = typeof value === 'number' ? String(value) : value;
      if (typeof code !== 'string' || !codes.has(code)) return bad(`${String(value)} is not offered for ${option.label} (choose from ${list})`);
      return ok(code);
    }
  }
}

/** Violations as field issues under `prefix` (e.g. body/lines/3/configuration), the rule named in the message. */
export function violationIssues(violations: readonly ConfigurationViolation[], prefix: string): FieldIssue[] {
  return violations.map((v) => ({ path: `${prefix}/${v.option}`, message: v.rule.startsWith('option:') ? v.message : `${v.message} (rule ${v.rule})` }));
}

/** For the service edge: the normalised configuration, or a ValidationError naming every broken rule. */
export function requireValidConfiguration(product: CatalogueProduct, input: Readonly<Record<string, unknown>>, prefix = 'body/configuration') {
  const result = validateConfiguration(product.definition, input);
  if (!result.ok) {
    const first = result.violations[0];
    const summary = first.rule.startsWith('option:') ? first.message : `breaks rule ${first.rule}: ${first.message}`;
    throw new ValidationError(`configuration of ${product.code} is not valid: ${summary}`, violationIssues(result.violations, prefix));
  }
  return result;
}

/**
 * Cross-checks a definition before it is saved: options unique, defaults valid, steps that fit, and every
 * condition pointing at an option that exists (availability only at earlier options, so it can be read in order).
 */
export function checkDefinition(definition: ProductDefinition, knownComponents?: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const index = new Map<string, number>();
  definition.options.forEach((o, i) => {
    const at = `body/definition/options/${i}`;
    if (index.has(o.code)) issues.push({ path: `${at}/code`, message: `option ${o.code} is defined twice` });
    index.set(o.code, i);
    (o.when ?? []).forEach((c, j) => {
      const target = index.get(c.option);
      if (target === undefined || target >= i) issues.push({ path: `${at}/when/${j}/option`, message: `${c.option} must be an option defined before ${o.code}` });
    });
    if (o.kind === 'number') {
      if (o.max < o.min) issues.push({ path: `${at}/max`, message: 'max is below min' });
      const steps = (o.max - o.min) / o.step;
      if (Math.abs(steps - Math.round(steps)) > 1e-6) issues.push({ path: `${at}/step`, message: `step ${o.step} does not divide the range ${o.min}–${o.max}` });
    }
    if (o.kind === 'choice') {
      const codes = o.choices.map((c) => c.code);
      if (new Set(codes).size !== codes.length) issues.push({ path: `${at}/choices`, message: 'choice codes must be distinct' });
      if (o.multiple?.max !== undefined && o.multiple.max < (o.multiple.min ?? 0)) issues.push({ path: `${at}/multiple/max`, message: 'max is below min' });
    }
    if (o.default !== undefined) {
      const checked = checkValue(o, o.default);
      if (!checked.ok) issues.push({ path: `${at}/default`, message: checked.message });
    }
  });
  const checkConditions = (cs: readonly { option: string }[] | undefined, at: string) =>
    (cs ?? []).forEach((c, j) => {
      if (!index.has(c.option)) issues.push({ path: `${at}/${j}/option`, message: `no option ${c.option}` });
    });
  definition.rules.forEach((r, i) => {
    checkConditions(r.when, `body/definition/rules/${i}/when`);
    checkConditions(r.then, `body/definition/rules/${i}/then`);
  });
  const ruleCodes = definition.rules.map((r) => r.code);
  if (new Set(ruleCodes).size !== ruleCodes.length) issues.push({ path: 'body/definition/rules', message: 'rule codes must be distinct' });
  definition.components.forEach((c, i) => {
    checkConditions(c.when, `body/definition/components/${i}/when`);
    if (c.per !== undefined) {
      const o = index.has(c.per) ? definition.options[index.get(c.per)!] : undefined;
      if (!o || o.kind !== 'number') issues.push({ path: `body/definition/components/${i}/per`, message: `${c.per} must be a numeric option` });
    }
    if (knownComponents && !knownComponents.has(c.component)) issues.push({ path: `body/definition/components/${i}/component`, message: `no component ${c.component} in the catalogue` });
  });
  return issues;
}

/** The components one unit-quantity line consumes, summed by component code. */
export function componentsOf(definition: ProductDefinition, configuration: Configuration, quantity: number): { component: string; quantity: number }[] {
  const totals = new Map<string, number>();
  for (const use of definition.components) {
    if (!allHold(use.when, configuration)) continue;
    const factor = use.per === undefined ? 1 : Number(configuration[use.per] ?? 0);
    totals.set(use.component, (totals.get(use.component) ?? 0) + use.quantity * factor * quantity);
  }
  return [...totals].filter(([, q]) => q > 0).map(([component, q]) => ({ component, quantity: Math.round(q * 1e6) / 1e6 }));
}
