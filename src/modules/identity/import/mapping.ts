import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../../core/errors.js';

/**
 * The mapping file: how one division's export reads into Rapport. Every kind (persons now, transactions later)
 * shares the file options, the `columns` shape and the external id rules; each kind adds its own fields.
 */

export const TRANSFORMS = ['trim', 'upper', 'lower', 'digits', 'squash'] as const;
export type Transform = (typeof TRANSFORMS)[number];

const TRANSFORM_FNS: Record<Transform, (v: string) => string> = {
  trim: (v) => v.trim(),
  upper: (v) => v.toUpperCase(),
  lower: (v) => v.toLowerCase(),
  digits: (v) => v.replace(/\D/g, ''),
  squash: (v) => v.replace(/\s+/g, ' ').trim(),
};

export function applyTransforms(value: string, transforms: readonly Transform[]): string {
  let out = value;
  for (const t of transforms) out = TRANSFORM_FNS[t](out);
  return out;
}

export interface ColumnTarget {
  /** A field of the kind (e.g. a canonical person field). */
  field?: string;
  /** Or: keep the value in the raw payload under this name. */
  attribute?: string;
  transforms: Transform[];
}

export type ExternalIdRule = { columns: string[]; separator: string } | { generate: 'row-hash' | 'row-occurrence' };

/** What the generic importer reads from every mapping, whatever its kind. */
export interface BaseMapping {
  kind?: string;
  format?: 'csv' | 'tsv' | 'jsonl';
  delimiter?: string;
  quote: string;
  encoding: 'utf8' | 'latin1';
  trim: boolean;
  nullValues: string[];
  columns: Record<string, ColumnTarget>;
  externalId?: ExternalIdRule;
}

const columnName = z.string().min(1, 'column names are not empty').max(200);
const attributeName = z.string().min(1).max(64).regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (starting with a letter or _)');

const transformList = z
  .array(z.enum(TRANSFORMS, { error: () => `unknown transform; use ${TRANSFORMS.join(', ')}` }))
  .max(10)
  .default([]);

/** The options every kind shares. Keys are checked strictly so a typo ("colums") is an error, not a silent no-op. */
export function baseMappingShape<F extends string>(fields: readonly [F, ...F[]]) {
  const fieldEnum = z.enum(fields, { error: () => `not a field of this kind; use one of ${fields.join(', ')}` });
  // A bare string is shorthand for {"field": "..."}; preprocessing instead of a union keeps error messages specific.
  const target = z.preprocess(
    (v) => (typeof v === 'string' ? { field: v } : v),
    z
      .strictObject({ field: fieldEnum.optional(), attribute: attributeName.optional(), transforms: transformList })
      .refine((t) => (t.field === undefined) !== (t.attribute === undefined), 'give exactly one of "field" or "attribute"'),
  );
  return {
    kind: z.string().optional(),
    format: z.enum(['csv', 'tsv', 'jsonl']).optional(),
    delimiter: z
      .string()
      .min(1)
      .max(4)
      .refine((d) => !/["\r\n]/.test(d), 'a delimiter cannot contain quotes or line breaks')
      .optional()
      .describe('field separator; detected from the header row when absent'),
    quote: z.string().length(1).default('"'),
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    trim: z.boolean().default(true).describe('ignore whitespace around delimiters (", " separated files)'),
    nullValues: z.array(z.string().max(50)).max(50).default([]).describe('values that mean "missing", e.g. ["NULL", "N/A"]'),
    columns: z.record(columnName, target).refine((c) => Object.keys(c).length > 0, 'map at least one column'),
    externalId: z
      .union([
        z.strictObject({ columns: z.array(columnName).min(1).max(10), separator: z.string().max(8).default(':') }),
        z.strictObject({ generate: z.enum(['row-hash', 'row-occurrence']) }),
      ])
      .optional(),
  };
}

/**
 * Rules that span several keys. `idField` is the kind's external id field; `mappedFields` may also be set by constants,
 * so the caller passes those too.
 */
export function checkBaseMapping(m: BaseMapping, idField: string, constantFields: string[], ctx: z.RefinementCtx) {
  const seenFields = new Map<string, string>();
  const seenAttributes = new Map<string, string>();
  for (const [column, target] of Object.entries(m.columns)) {
    if (target.field) {
      const other = seenFields.get(target.field);
      if (other) ctx.addIssue({ code: 'custom', path: ['columns', column], message: `field ${target.field} is already mapped from column "${other}"` });
      seenFields.set(target.field, column);
    }
    if (target.attribute) {
      const other = seenAttributes.get(target.attribute);
      if (other) ctx.addIssue({ code: 'custom', path: ['columns', column], message: `attribute ${target.attribute} is already taken by column "${other}"` });
      seenAttributes.set(target.attribute, column);
    }
  }
  for (const field of constantFields) {
    if (seenFields.has(field)) ctx.addIssue({ code: 'custom', path: ['constants', field], message: `field ${field} is also mapped from column "${seenFields.get(field)}"` });
  }
  const idFromColumn = seenFields.has(idField);
  if (idFromColumn && m.externalId) {
    ctx.addIssue({ code: 'custom', path: ['externalId'], message: `${idField} is already mapped from column "${seenFields.get(idField)}"; remove one of the two` });
  }
  if (!idFromColumn && !m.externalId) {
    ctx.addIssue({
      code: 'custom',
      path: ['columns'],
      message: `no external id: map a column to ${idField}, or set "externalId": {"columns": [...]} or {"generate": "row-hash"}`,
    });
  }
}

/** Every input column the mapping reads: a file without one of them is rejected before anything is written. */
export function requiredColumns(m: BaseMapping): string[] {
  const cols = new Set(Object.keys(m.columns));
  if (m.externalId && 'columns' in m.externalId) for (const c of m.externalId.columns) cols.add(c);
  return [...cols];
}

/** Parses a mapping with a kind's schema; every problem becomes one issue under `mapping/…`. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, where = 'mapping'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('/'), message: i.message }));
  throw new ValidationError(`the ${where} is not valid`, issues);
}

/** Reads a mapping file's text as JSON, with a message that says where it went wrong. */
export function parseMappingJson(text: string, where = 'mapping'): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`the ${where} is not valid JSON: ${(err as Error).message}`);
  }
}
