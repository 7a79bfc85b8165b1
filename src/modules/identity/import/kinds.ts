import { ValidationError } from '../../../core/errors.js';
import type { BaseMapping } from './mapping.js';
import { personsKind } from './persons.js';
import { transactionsKind } from '../../economics/transactionsImport.js';

/** Where an import writes: one division's source system. */
export interface ImportTarget {
  tenantId: string;
  sourceSystemId: string;
  divisionId: string;
}

/** A row after the generic steps: fields mapped and transformed (null = missing), attributes folded into raw. */
export interface MappedRow {
  line: number;
  externalId: string;
  fields: Record<string, string | null>;
  /** Every input column as read (attributes under their chosen names): what `raw` stores. */
  raw: Record<string, unknown>;
}

export interface RowWarning {
  field: string;
  message: string;
}

export interface RowProblem {
  field: string;
  reason: string;
}

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of people who were erased (a tombstone matches their source and external id): not written. */
  suppressed?: number;
}

export type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * What one kind of import adds to the generic reader: a mapping schema and a row handler. To add a kind
 * (e.g. transactions), implement this in its own file and list it in IMPORT_KINDS.
 */
export interface ImportKind<M extends BaseMapping = BaseMapping, R = unknown> {
  readonly name: string;
  /** The field that holds the record's id in its source system (the upsert key). */
  readonly idField: string;
  /** Validates a mapping document; throws ValidationError listing every issue. */
  parseMapping(input: unknown): M;
  /**
   * Optional, pure and cheap: rejects a row the kind cannot store (e.g. an amount that is not a number). It runs in
   * the validation pass as well, so --on-error abort finds every bad row before anything is written.
   */
  validate?(row: MappedRow, mapping: M): RowProblem | null;
  /** Pure: turns a valid row into what writeBatch stores. Warnings are reported but never reject the row. */
  prepare(row: MappedRow, mapping: M): { record: R; warnings: RowWarning[] };
  /** Upserts one batch inside the caller's transaction. Ids are unique within a batch and across the file. */
  writeBatch(q: Query, target: ImportTarget, records: R[]): Promise<BatchCounts>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const IMPORT_KINDS: Record<string, ImportKind<any, any>> = {
  persons: personsKind,
  transactions: transactionsKind,
};

export const IMPORT_KIND_NAMES = Object.keys(IMPORT_KINDS);

export function importKind(name: string): ImportKind {
  const kind = IMPORT_KINDS[name];
  if (!kind) throw new ValidationError(`unknown import kind "${name}"; use one of ${IMPORT_KIND_NAMES.join(', ')}`, [{ path: 'kind', message: 'unknown kind' }]);
  return kind;
}

/** Picks the kind (flag, else the mapping's "kind", else persons) and validates the mapping with its schema. */
export function kindAndMapping(mappingInput: unknown, kindName?: string): { kind: ImportKind; mapping: BaseMapping } {
  const declared = mappingInput && typeof mappingInput === 'object' ? (mappingInput as { kind?: unknown }).kind : undefined;
  if (kindName && typeof declared === 'string' && declared !== kindName) {
    throw new ValidationError(`the mapping is for kind "${declared}" but the import asks for "${kindName}"`, [{ path: 'mapping/kind', message: `expected ${kindName}` }]);
  }
  const kind = importKind(kindName ?? (typeof declared === 'string' ? declared : 'persons'));
  return { kind, mapping: kind.parseMapping(mappingInput) };
}
