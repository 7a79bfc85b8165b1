import { z } from 'zod';
import { newId } from '../../../core/ids.js';
import { CANONICAL_FIELDS, type CanonicalField, type CanonicalInput, type NormalisedPerson } from '../canonical.js';
import { normalisePerson } from '../normalise.js';
import { sha256, stableStringify } from './hashing.js';
import { baseMappingShape, checkBaseMapping, parseWith, type BaseMapping } from './mapping.js';
import type { ImportKind, MappedRow, Query, RowWarning } from './kinds.js';
import { tombstoneHash } from '../../privacy/tombstone.js';

const CONSTANT_FIELDS = CANONICAL_FIELDS.filter((f) => f !== 'external_id') as [CanonicalField, ...CanonicalField[]];

/** normalisePerson owns the list of date formats; asking it keeps the mapping check and the parser in step. */
function isKnownDateFormat(format: string): boolean {
  try {
    normalisePerson({ external_id: 'x', date_of_birth: '2000-01-01' }, { dateFormats: [format] });
    return true;
  } catch {
    return false;
  }
}

const personsMappingSchema = z
  .strictObject({
    ...baseMappingShape(CANONICAL_FIELDS),
    constants: z
      .partialRecord(z.enum(CONSTANT_FIELDS, { error: () => `not a person field; use one of ${CONSTANT_FIELDS.join(', ')}` }), z.string().max(500))
      .default({})
      .describe('fixed values for fields the file does not carry, e.g. {"country": "AU"}'),
    dateFormats: z
      .array(z.string().refine(isKnownDateFormat, 'unknown date format (e.g. YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY, D MON YYYY)'))
      .min(1)
      .max(10)
      .optional(),
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as AU or GB')
      .transform((c) => c.toUpperCase())
      .optional(),
  })
  .superRefine((m, ctx) => checkBaseMapping(m as BaseMapping, 'external_id', Object.keys(m.constants), ctx));

export type PersonsMapping = BaseMapping & z.infer<typeof personsMappingSchema>;

export interface PersonRecord {
  id: string;
  person: NormalisedPerson;
  raw: Record<string, unknown>;
  contentHash: string;
}

const COLUMNS: [keyof NormalisedPerson, string, string][] = [
  ['givenName', 'given_name', 'text'],
  ['familyName', 'family_name', 'text'],
  ['fullName', 'full_name', 'text'],
  ['searchName', 'search_name', 'text'],
  ['dateOfBirth', 'date_of_birth', 'date'],
  ['email', 'email', 'text'],
  ['phone', 'phone', 'text'],
  ['streetNumber', 'street_number', 'text'],
  ['addressLine1', 'address_line1', 'text'],
  ['addressLine2', 'address_line2', 'text'],
  ['locality', 'locality', 'text'],
  ['postcode', 'postcode', 'text'],
  ['region', 'region', 'text'],
  ['country', 'country', 'text'],
  ['nationalId', 'national_id', 'text'],
];

// One statement per batch: rows travel as one jsonb parameter (no 65,535-parameter limit), and the WHERE on the
// content hash makes a row that did not change a no-op, so updated_at moves only when content does.
const UPSERT_SQL = `
INSERT INTO source_records (tenant_id, id, source_system_id, external_id, kind, ${COLUMNS.map((c) => c[1]).join(', ')}, raw, content_hash, created_at, updated_at)
SELECT $1, r.id, $2, r.external_id, 'person', ${COLUMNS.map((c) => `r.${c[1]}`).join(', ')}, r.raw, r.content_hash, now(), now()
FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, external_id text, ${COLUMNS.map((c) => `${c[1]} ${c[2]}`).join(', ')}, raw jsonb, content_hash text)
ON CONFLICT (tenant_id, source_system_id, external_id) DO UPDATE SET
  ${COLUMNS.map((c) => `${c[1]} = excluded.${c[1]}`).join(', ')}, raw = excluded.raw, content_hash = excluded.content_hash, updated_at = now()
WHERE source_records.content_hash IS DISTINCT FROM excluded.content_hash
RETURNING (xmax = 0) AS inserted`;

export const personsKind: ImportKind<PersonsMapping, PersonRecord> = {
  name: 'persons',
  idField: 'external_id',

  parseMapping: (input) => parseWith(personsMappingSchema, input) as PersonsMapping,

  prepare(row: MappedRow, mapping: PersonsMapping): { record: PersonRecord; warnings: RowWarning[] } {
    const input: CanonicalInput = { ...mapping.constants };
    for (const [field, value] of Object.entries(row.fields)) if (value !== null) input[field as CanonicalField] = value;
    input.external_id = row.externalId;
    const { person, warnings } = normalisePerson(input, { dateFormats: mapping.dateFormats, defaultCountry: mapping.defaultCountry });
    const contentHash = sha256(stableStringify({ person, raw: row.raw }));
    return { record: { id: newId(), person, raw: row.raw, contentHash }, warnings };
  },

  async writeBatch(q: Query, target, records) {
    if (!records.length) return { inserted: 0, updated: 0, unchanged: 0 };
    // A person who was erased stays erased: their row coming back from the source is suppressed, not re-created.
    const hashes = records.map((r) => tombstoneHash(target.tenantId, target.sourceSystemId, r.person.externalId));
    const dead = new Set((await q<{ hash: string }>('SELECT hash FROM erasure_tombstones WHERE tenant_id = $1 AND hash = ANY($2::text[])', [target.tenantId, hashes])).map((r) => r.hash));
    const suppressed = dead.size ? records.filter((_, i) => dead.has(hashes[i])).length : 0;
    if (suppressed) records = records.filter((_, i) => !dead.has(hashes[i]));
    if (!records.length) return { inserted: 0, updated: 0, unchanged: 0, suppressed };
    // Most rows of a re-import are unchanged: compare hashes first so they are never shipped back to the database.
    const existing = await q<{ external_id: string; content_hash: string }>(
      'SELECT external_id, content_hash FROM source_records WHERE tenant_id = $1 AND source_system_id = $2 AND external_id = ANY($3::text[])',
      [target.tenantId, target.sourceSystemId, records.map((r) => r.person.externalId)],
    );
    const known = new Map(existing.map((e) => [e.external_id, e.content_hash]));
    const changed = records.filter((r) => known.get(r.person.externalId) !== r.contentHash);
    if (!changed.length) return { inserted: 0, updated: 0, unchanged: records.length, suppressed };
    const payload = changed.map((r) => {
      const row: Record<string, unknown> = { id: r.id, external_id: r.person.externalId, raw: r.raw, content_hash: r.contentHash };
      for (const [prop, column] of COLUMNS) row[column] = r.person[prop];
      return row;
    });
    const written = await q<{ inserted: boolean }>(UPSERT_SQL, [target.tenantId, target.sourceSystemId, JSON.stringify(payload)]);
    const inserted = written.filter((w) => w.inserted).length;
    const updated = written.length - inserted;
    return { inserted, updated, unchanged: records.length - inserted - updated, suppressed };
  },
};
