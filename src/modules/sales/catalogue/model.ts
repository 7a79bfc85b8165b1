import { z } from 'zod';

/**
 * The sales catalogue's product model. A configurable product is a document (options, the rules between
 * them, the components a configuration consumes), stored as JSON on the product row and validated here,
 * so that the configurator, the pricing engine and the delivery planner all read the same definition.
 */

const optionCode = z.string().trim().min(1).max(64).regex(/^[a-z][a-zA-Z0-9_]*$/, 'start with a lower-case letter; letters, digits, _ only');
const itemCode = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const label = z.string().trim().min(1).max(200);
const scalar = z.union([z.string().max(64), z.number(), z.boolean()]);

/**
 * Holds when the option has a value and every given test passes: `in` (the value, or for a multiple
 * choice any selected value, is one of these), `min` / `max` (inclusive, numbers only).
 */
export const conditionSchema = z
  .strictObject({
    option: optionCode,
    in: z.array(scalar).min(1).max(100).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((c) => c.in !== undefined || c.min !== undefined || c.max !== undefined, 'give in, min or max');
export type Condition = z.infer<typeof conditionSchema>;

const availability = z.array(conditionSchema).max(20).optional().describe('The option applies only when all of these hold');

export const choiceOptionSchema = z.strictObject({
  kind: z.literal('choice'),
  code: optionCode,
  label,
  choices: z.array(z.strictObject({ code: itemCode, label, description: z.string().max(500).optional() })).min(1).max(200),
  required: z.boolean().default(true),
  default: itemCode.optional(),
  /** Several choices at once (accessories, say), with bounds on how many. */
  multiple: z.strictObject({ min: z.number().int().min(0).default(0), max: z.number().int().min(1).optional() }).optional(),
  when: availability,
});
export const numberOptionSchema = z.strictObject({
  kind: z.literal('number'),
  code: optionCode,
  label,
  unit: z.string().trim().min(1).max(20),
  min: z.number(),
  max: z.number(),
  step: z.number().positive(),
  required: z.boolean().default(true),
  default: z.number().optional(),
  when: availability,
});
export const booleanOptionSchema = z.strictObject({
  kind: z.literal('boolean'),
  code: optionCode,
  label,
  required: z.boolean().default(false),
  default: z.boolean().optional(),
  when: availability,
});
export const optionSchema = z.discriminatedUnion('kind', [choiceOptionSchema, numberOptionSchema, booleanOptionSchema]);
export type ProductOption = z.infer<typeof optionSchema>;
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;
export type NumberOption = z.infer<typeof numberOptionSchema>;

/**
 * requires: when every `when` condition holds, every `then` condition must hold.
 * excludes: when every `when` condition holds, no `then` condition may hold.
 */
export const ruleSchema = z.strictObject({
  code: itemCode,
  kind: z.enum(['requires', 'excludes']),
  when: z.array(conditionSchema).max(20).default([]),
  then: z.array(conditionSchema).min(1).max(20),
  message: z.string().trim().min(1).max(300).describe('Shown to the rep and the customer when the rule is broken'),
});
export type ConfigurationRule = z.infer<typeof ruleSchema>;

/** A configuration consumes `quantity` of a component per unit ordered, times the value of the numeric option `per` if given. */
export const componentUseSchema = z.strictObject({
  component: itemCode,
  quantity: z.number().positive().default(1),
  per: optionCode.optional(),
  when: z.array(conditionSchema).max(20).optional(),
});
export type ComponentUse = z.infer<typeof componentUseSchema>;

export const bundleItemSchema = z.strictObject({
  product: itemCode,
  quantity: z.number().int().positive().default(1),
  configuration: z.record(z.string(), z.unknown()).default({}),
});

export const productDefinitionSchema = z.strictObject({
  options: z.array(optionSchema).max(100).default([]),
  rules: z.array(ruleSchema).max(500).default([]),
  components: z.array(componentUseSchema).max(200).default([]),
  /** Business days our own plant needs after the last component arrives (assembly, test, packing). */
  assemblyDays: z.number().int().min(0).max(365).default(0),
  /** For kind = bundle: the products sold together, each with a fixed or default configuration. */
  bundleItems: z.array(bundleItemSchema).max(50).default([]),
});
export type ProductDefinition = z.infer<typeof productDefinitionSchema>;

export type OptionValue = string | number | boolean | string[];
export type Configuration = Record<string, OptionValue>;

/** What the configurator, pricing and planning need of a catalogue product. */
export interface CatalogueProduct {
  code: string;
  name: string;
  kind: 'configurable' | 'simple' | 'bundle';
  unit: string;
  definition: ProductDefinition;
}

export function conditionHolds(c: Condition, config: Readonly<Record<string, unknown>>): boolean {
  const value = config[c.option];
  if (value === undefined || value === null) return false;
  if (c.in) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.some((v) => c.in!.some((x) => x === v || (typeof x === 'number' && typeof v === 'string' && String(x) === v) || (typeof x === 'string' && typeof v === 'number' && x === String(v))))) return false;
  }
  if (c.min !== undefined && !(typeof value === 'number' && value >= c.min)) return false;
  if (c.max !== undefined && !(typeof value === 'number' && value <= c.max)) return false;
  return true;
}

export const allHold = (cs: readonly Condition[] | undefined, config: Readonly<Record<string, unknown>>) => (cs ?? []).every((c) => conditionHolds(c, config));

/** "jacket is LSZH", "length between 1 and 500": for messages that name what an option depends on. */
export function describeCondition(c: Condition): string {
  const parts: string[] = [];
  if (c.in) parts.push(c.in.length === 1 ? `${c.option} is ${String(c.in[0])}` : `${c.option} is one of ${c.in.map(String).join(', ')}`);
  if (c.min !== undefined && c.max !== undefined) parts.push(`${c.option} is between ${c.min} and ${c.max}`);
  else if (c.min !== undefined) parts.push(`${c.option} is at least ${c.min}`);
  else if (c.max !== undefined) parts.push(`${c.option} is at most ${c.max}`);
  return parts.join(' and ');
}
