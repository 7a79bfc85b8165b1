import type { SourceRecord } from '../../api/types';

export type Agreement = 'same' | 'differs' | 'one missing' | 'both missing';

export interface ComparedField {
  key: string;
  label: string;
  a: string | null;
  b: string | null;
  agreement: Agreement;
}

const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);
const join = (...parts: (string | null | undefined)[]) => parts.map(text).filter(Boolean).join(' ') || null;
/** Case, spacing and punctuation are not differences a reviewer needs pointed out. */
const fold = (v: string) => v.toLowerCase().replace(/[\s.,'’-]+/g, ' ').trim();

export function agreementOf(a: string | null, b: string | null): Agreement {
  if (a === null && b === null) return 'both missing';
  if (a === null || b === null) return 'one missing';
  return fold(a) === fold(b) ? 'same' : 'differs';
}

const FIELDS: { key: string; label: string; read: (r: SourceRecord) => string | null; optional?: boolean }[] = [
  { key: 'givenName', label: 'Given name', read: (r) => text(r.givenName) },
  { key: 'familyName', label: 'Family name', read: (r) => text(r.familyName) },
  { key: 'fullName', label: 'Full name as written', read: (r) => text(r.fullName), optional: true },
  { key: 'dateOfBirth', label: 'Date of birth', read: (r) => text(r.dateOfBirth) },
  { key: 'email', label: 'Email', read: (r) => text(r.email) },
  { key: 'phone', label: 'Phone', read: (r) => text(r.phone) },
  { key: 'address', label: 'Address', read: (r) => join(r.streetNumber, r.addressLine1, r.addressLine2) },
  { key: 'locality', label: 'Locality', read: (r) => text(r.locality) },
  { key: 'postcode', label: 'Postcode', read: (r) => text(r.postcode) },
  { key: 'region', label: 'Region', read: (r) => text(r.region), optional: true },
  { key: 'country', label: 'Country', read: (r) => text(r.country), optional: true },
  { key: 'nationalId', label: 'National id', read: (r) => text(r.nationalId), optional: true },
];

/** The two records field by field; optional fields neither record holds are left out. */
export function compareRecords(a: SourceRecord, b: SourceRecord): ComparedField[] {
  return FIELDS.map(({ key, label, read }) => {
    const va = read(a);
    const vb = read(b);
    return { key, label, a: va, b: vb, agreement: agreementOf(va, vb) };
  }).filter((f, i) => !(FIELDS[i].optional && f.agreement === 'both missing'));
}

export function recordName(r: Pick<SourceRecord, 'fullName' | 'givenName' | 'familyName' | 'externalId'>): string {
  return join(r.givenName, r.familyName) ?? text(r.fullName) ?? `Record ${r.externalId}`;
}
