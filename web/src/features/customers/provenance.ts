/**
 * Golden values carry per-field provenance. Survivorship writes {sourceRecordId, divisionId, at, rule};
 * a hand correction writes {manual, by, at}. Anything else is shown as "recorded" rather than dropped.
 */
export type Provenance =
  | { kind: 'source'; sourceRecordId?: string; divisionId?: string; sourceCode?: string; at?: string; rule?: string }
  | { kind: 'manual'; by?: string; at?: string }
  | { kind: 'other' };

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function readProvenance(provenance: Record<string, unknown> | undefined, field: string): Provenance | null {
  const entry = provenance?.[field];
  if (!entry || typeof entry !== 'object') return null;
  const e = entry as Record<string, unknown>;
  if (e.manual === true) return { kind: 'manual', by: str(e.by), at: str(e.at) };
  if (e.sourceRecordId || e.divisionId) {
    return { kind: 'source', sourceRecordId: str(e.sourceRecordId), divisionId: str(e.divisionId), sourceCode: str(e.sourceCode), at: str(e.at), rule: str(e.rule) };
  }
  return { kind: 'other' };
}
