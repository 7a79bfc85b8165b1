/**
 * Column mapping for the import wizard: suggestions from header names, and the mapping JSON the server reads
 * (see src/modules/identity/import/README.md). Pure, so the wizard's rules are tested without a browser.
 */

/** Mirrors CANONICAL_FIELDS in src/modules/identity/canonical.ts. */
export const CANONICAL_FIELDS = [
  'external_id',
  'given_name',
  'family_name',
  'full_name',
  'date_of_birth',
  'email',
  'phone',
  'street_number',
  'address_line1',
  'address_line2',
  'locality',
  'postcode',
  'region',
  'country',
  'national_id',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

export const FIELD_LABELS: Record<CanonicalField, string> = {
  external_id: 'Id in the source system',
  given_name: 'Given name',
  family_name: 'Family name',
  full_name: 'Full name',
  date_of_birth: 'Date of birth',
  email: 'Email',
  phone: 'Phone',
  street_number: 'Street number',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  locality: 'Locality (town, city)',
  postcode: 'Postcode',
  region: 'Region (state, county)',
  country: 'Country',
  national_id: 'National id',
};

/** Header names seen in division exports, already folded (lower case, runs of non-letters as "_"). */
const SYNONYMS: Record<CanonicalField, string[]> = {
  external_id: ['external_id', 'id', 'customer_id', 'cust_id', 'cust_no', 'customer_no', 'customer_number', 'client_id', 'client_no', 'record_id', 'rec_id', 'member_id', 'member_no', 'party_id', 'ref', 'reference'],
  given_name: ['given_name', 'first_name', 'firstname', 'forename', 'forenames', 'given', 'fname', 'first'],
  family_name: ['family_name', 'surname', 'last_name', 'lastname', 'lname', 'last', 'family'],
  full_name: ['full_name', 'fullname', 'name', 'customer_name', 'cust_name', 'client_name', 'display_name', 'cardholder', 'holder_name'],
  date_of_birth: ['date_of_birth', 'dob', 'd_o_b', 'birth_date', 'birthdate', 'birthday', 'born', 'date_born'],
  email: ['email', 'e_mail', 'email_address', 'mail', 'emailaddress'],
  phone: ['phone', 'telephone', 'tel', 'phone_number', 'phone_no', 'mobile', 'mobile_phone', 'mobile_no', 'cell', 'cell_phone', 'home_phone'],
  street_number: ['street_number', 'street_no', 'house_number', 'house_no', 'building_number'],
  address_line1: ['address_line1', 'address_line_1', 'address1', 'address_1', 'addr1', 'addr_1', 'address', 'street', 'street_address', 'addr'],
  address_line2: ['address_line2', 'address_line_2', 'address2', 'address_2', 'addr2', 'addr_2'],
  locality: ['locality', 'city', 'town', 'suburb', 'municipality'],
  postcode: ['postcode', 'post_code', 'postal_code', 'zip', 'zipcode', 'zip_code'],
  region: ['region', 'state', 'province', 'county'],
  country: ['country', 'country_code', 'nation'],
  national_id: ['national_id', 'ssn', 'social_security_number', 'tax_id', 'tin', 'nin', 'sin'],
};

const LOOKUP = new Map<string, CanonicalField>(Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as CanonicalField] as const)));
const PREFIXES = ['customer_', 'cust_', 'client_', 'member_', 'primary_', 'borrower_', 'holder_', 'contact_'];

export function foldHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** The canonical field a header name most likely holds, or null when the name says nothing we know. */
export function suggestField(header: string): CanonicalField | null {
  const folded = foldHeader(header);
  const direct = LOOKUP.get(folded);
  if (direct) return direct;
  for (const prefix of PREFIXES) {
    if (folded.startsWith(prefix)) {
      const hit = LOOKUP.get(folded.slice(prefix.length));
      if (hit) return hit;
    }
  }
  return null;
}

/** header -> field for a whole file; a field goes to the first column that suggests it, never to two. */
export function suggestMapping(headers: string[]): Record<string, CanonicalField | null> {
  const taken = new Set<CanonicalField>();
  const out: Record<string, CanonicalField | null> = {};
  for (const h of headers) {
    const field = suggestField(h);
    if (field && !taken.has(field)) {
      taken.add(field);
      out[h] = field;
    } else out[h] = null;
  }
  return out;
}

export type DateOrder = 'auto' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

export interface MappingChoice {
  columns: Record<string, CanonicalField | null>;
  /** With no column for external_id, ids are a hash of the whole row. */
  generateIds: boolean;
  dateOrder: DateOrder;
  format?: 'csv' | 'tsv' | 'jsonl';
}

export interface MappingProblem {
  field?: CanonicalField;
  message: string;
}

/** What stops the mapping from being sent; the server checks again, this only saves a round trip. */
export function mappingProblems(choice: MappingChoice): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const used = new Map<CanonicalField, string[]>();
  for (const [column, field] of Object.entries(choice.columns)) if (field) used.set(field, [...(used.get(field) ?? []), column]);
  for (const [field, columns] of used) {
    if (columns.length > 1) problems.push({ field, message: `${FIELD_LABELS[field]} is mapped from ${columns.length} columns (${columns.join(', ')}); keep one.` });
  }
  if (!used.has('external_id') && !choice.generateIds) {
    problems.push({ field: 'external_id', message: 'Pick the column holding each record’s id in the source system, or let Rapport derive ids from the row content.' });
  }
  const names = ['given_name', 'family_name', 'full_name'] as const;
  if (!names.some((f) => used.has(f))) problems.push({ message: 'Map at least one name column (given, family or full name): resolution matches people by name.' });
  return problems;
}

/** The mapping JSON for POST /imports. Unmapped columns are still kept, as read, in each record's raw data. */
export function buildMapping(choice: MappingChoice): Record<string, unknown> {
  const columns: Record<string, string> = {};
  for (const [column, field] of Object.entries(choice.columns)) if (field) columns[column] = field;
  const mapping: Record<string, unknown> = { columns };
  if (choice.format) mapping.format = choice.format;
  if (!Object.values(columns).includes('external_id') && choice.generateIds) mapping.externalId = { generate: 'row-hash' };
  if (choice.dateOrder !== 'auto') mapping.dateFormats = [choice.dateOrder, 'YYYY-MM-DD', 'YYYYMMDD'];
  return mapping;
}
