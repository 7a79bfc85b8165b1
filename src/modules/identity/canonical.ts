/** The canonical person fields an import mapping may target. */
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

/** Raw values as read from a file, keyed by canonical field. */
export type CanonicalInput = Partial<Record<CanonicalField, string | null | undefined>>;

/** The normalised form stored on source_records and compared by matching (camelCase = column names). */
export interface NormalisedPerson {
  externalId: string;
  givenName: string | null;
  familyName: string | null;
  fullName: string | null;
  searchName: string;
  /** ISO yyyy-mm-dd, or null when missing or invalid (never guessed). */
  dateOfBirth: string | null;
  email: string | null;
  /** E.164 */
  phone: string | null;
  streetNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  locality: string | null;
  postcode: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2 */
  country: string | null;
  nationalId: string | null;
}

export interface NormaliseWarning {
  field: CanonicalField;
  message: string;
}

export interface NormaliseOptions {
  /** Date formats to try, in order, e.g. ['YYYYMMDD', 'DD/MM/YYYY']; defaults cover ISO and common forms. */
  dateFormats?: string[];
  /** Region for phone numbers without a country code (ISO alpha-2), default 'US'. */
  defaultCountry?: string;
}
