/**
 * Golden values carry per-field provenance. Survivorship writes {sourceRecordId, source, division, updatedAt,
 * rule}; a hand correction writes {manual, by, at}. Older and hand-seeded rows may say divisionId/sourceCode/at.
 * Anything else is shown as "recorded" rather than dropped.
 */
export type Provenance =
  | { kind: 'source'; sourceRecordId?: string; divisionId?: string; divisionLabel?: string; sourceCode?: string; at?: string; rule?: string }
  | { kind: 'manual'; by?: string; at?: string }
  | { kind: 'other' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Golden fields whose value survives as part of a group under another key (the display name is composed from the name). */
const FALLBACK_KEYS: Record<string, string[]> = { displayName: ['fullName', 'givenName', 'familyName'] };

export function readProvenance(provenance: Record<string, unknown> | undefined, field: string): Provenance | null {
  const key = [field, ...(FALLBACK_KEYS[field] ?? [])].find((k) => provenance?.[k] && typeof provenance[k] === 'object');
  if (!key) return null;
  const e = provenance?.[key] as Record<string, unknown>;
  if (e.manual === true) return { kind: 'manual', by: str(e.by), at: str(e.at) };
  const division = str(e.divisionId) ?? str(e.division);
  if (e.sourceRecordId || division) {
    return {
      kind: 'source',
      sourceRecordId: str(e.sourceRecordId),
      divisionId: division && UUID.test(division) ? division : undefined,
      divisionLabel: division && !UUID.test(division) ? division : undefined,
      sourceCode: str(e.sourceCode) ?? str(e.source),
      at: str(e.at) ?? str(e.updatedAt),
      rule: str(e.rule),
    };
  }
  return { kind: 'other' };
}
