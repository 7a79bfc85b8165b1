import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CanonicalField, CanonicalInput, NormalisedPerson, NormaliseOptions, NormaliseWarning } from './canonical.js';

/** Lower-case, accent-free, punctuation-free text: the form that search and matching compare. */
export function foldText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The trigram-indexed search key of a person or organisation record. */
export function searchKey(parts: { givenName?: string | null; familyName?: string | null; fullName?: string | null }): string {
  const composed = [parts.givenName, parts.familyName].filter(Boolean).join(' ');
  return foldText(composed || parts.fullName);
}

/** Folded name for matching: apostrophes vanish ("O'Brien" = "OBrien"), hyphens split words. */
export function nameKey(value: string | null | undefined): string {
  if (!value) return '';
  return foldText(value.replace(/['\u2019`]/g, ''));
}

/**
 * Matching form of an email: Gmail ignores dots and "+tags" in the local part, so those are stripped there
 * only; every other provider may treat them as significant.
 */
export function emailMatchKey(email: string | null | undefined): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  if (at < 0) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    domain = 'gmail.com';
    local = local.split('+')[0].replace(/\./g, '');
  }
  return `${local}@${domain}`;
}

// ---------------------------------------------------------------------------------------------------------
// Placeholders: values typed to get past a mandatory field. They would otherwise link strangers.

const PLACEHOLDER_WORDS = new Set([
  'unknown', 'unk', 'n a', 'na', 'none', 'null', 'nil', 'not known', 'not provided', 'not given', 'not applicable',
  'notknown', 'refused', 'declined', 'test', 'testing', 'xxx', 'xx', 'x', 'tbc', 'tba', 'tbd', 'dummy', 'no name',
  'noname', 'anonymous', 'blank', 'empty', 'missing', 'nobody', 'nan', 'undefined',
]);

function isPlaceholderText(raw: string): boolean {
  const folded = foldText(raw);
  if (!folded) return /^[\s\-?.*_/\\]+$/.test(raw); // "-", "?", "..." and the like
  return PLACEHOLDER_WORDS.has(folded);
}

const PLACEHOLDER_EMAIL_LOCAL = new Set(['test', 'none', 'noemail', 'no', 'na', 'nobody', 'null', 'unknown', 'noreply', 'no-reply', 'donotreply', 'email', 'abc', 'xxx', 'x']);
const PLACEHOLDER_EMAIL_DOMAIN = /^(example\.(com|org|net)|test\.com|none\.com|noemail\.com|email\.com|domain\.com|na\.com|nomail\.com|invalid)$/;

function isPlaceholderEmail(email: string): boolean {
  const [local, domain] = email.split('@');
  return PLACEHOLDER_EMAIL_DOMAIN.test(domain) || (PLACEHOLDER_EMAIL_LOCAL.has(local) && /^(none|no|na|null|test|x+)\./.test(domain)) || local === 'noemail' || local === 'none';
}

/** Digit strings no real identifier has: one repeated digit, a straight run up or down, or mostly zeros. */
export function isPlaceholderDigits(digits: string): boolean {
  if (digits.length < 4) return true;
  if (/^(\d)\1+$/.test(digits)) return true;
  if ('01234567890123456789'.includes(digits) || '98765432109876543210'.includes(digits)) return true;
  // 000-00-0000 style with a leading country code or a trailing 1
  const zeros = digits.replace(/[^0]/g, '').length;
  return zeros >= digits.length - 1;
}

// ---------------------------------------------------------------------------------------------------------
// Names

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'fr', 'lord', 'lady']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'jnr', 'snr']);
const PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'st', 'mac', 'bin', 'al', 'ter', 'ten']);

/** Tidy a name for storage: trim, strip stray punctuation, title-case when written all in one case. */
function tidyName(raw: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\s'\u2019\-.]/gu, ' ')
    .replace(/\./g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return '';
  const oneCase = cleaned === cleaned.toLowerCase() || cleaned === cleaned.toUpperCase();
  if (!oneCase) return cleaned;
  return cleaned.toLowerCase().replace(/(^|[\s\-'\u2019])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function splitFullName(full: string): { given: string | null; family: string | null } {
  let text = full.trim();
  let commaForm = false;
  if (text.includes(',')) {
    // "Family, Given" unless the part after the comma is only a suffix ("Smith, Jr")
    const [before, ...after] = text.split(',');
    const rest = after.join(' ').trim();
    if (rest && !rest.split(/\s+/).every((t) => SUFFIXES.has(foldText(t)))) {
      text = `${rest} ${before}`;
      commaForm = true;
    } else {
      text = before;
    }
  }
  const tokens = text.split(/\s+/).filter((t) => {
    const f = foldText(t);
    return f && !SUFFIXES.has(f);
  });
  while (tokens.length > 1 && TITLES.has(foldText(tokens[0]))) tokens.shift();
  if (tokens.length === 0) return { given: null, family: null };
  if (tokens.length === 1) return commaForm ? { given: null, family: tokens[0] } : { given: tokens[0], family: null };
  let start = tokens.length - 1;
  while (start > 1 && PARTICLES.has(foldText(tokens[start - 1]))) start--;
  return { given: tokens[0], family: tokens.slice(start).join(' ') };
}

// ---------------------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

const DEFAULT_DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'D MON YYYY', 'MON D YYYY', 'DD/MM/YYYY|MM/DD/YYYY'];

function validYmd(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

type DateParse = { ok: true; value: string } | { ok: false; reason: string } | null;

/** Try one format; null = the text does not have this shape, ok:false = it has the shape but is not a real date. */
function parseWith(format: string, text: string): DateParse {
  const check = (y: number, m: number, d: number): DateParse =>
    validYmd(y, m, d) ? { ok: true, value: iso(y, m, d) } : { ok: false, reason: `not a calendar date (${format})` };
  let g: RegExpMatchArray | null;
  switch (format) {
    case 'YYYY-MM-DD':
      g = text.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/);
      return g ? check(+g[1], +g[2], +g[3]) : null;
    case 'YYYYMMDD':
      g = text.match(/^(\d{4})(\d{2})(\d{2})$/);
      return g ? check(+g[1], +g[2], +g[3]) : null;
    case 'DD/MM/YYYY':
      g = text.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/);
      return g ? check(+g[3], +g[2], +g[1]) : null;
    case 'MM/DD/YYYY':
      g = text.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/);
      return g ? check(+g[3], +g[1], +g[2]) : null;
    case 'DDMMYYYY':
      g = text.match(/^(\d{2})(\d{2})(\d{4})$/);
      return g ? check(+g[3], +g[2], +g[1]) : null;
    case 'D MON YYYY': {
      g = text.match(/^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.,]+([a-z]+)[\s\-/.,]+(\d{4})$/i);
      if (!g) return null;
      const m = MONTHS[g[2].toLowerCase()];
      return m ? check(+g[3], m, +g[1]) : { ok: false, reason: `unknown month "${g[2]}"` };
    }
    case 'MON D YYYY': {
      g = text.match(/^([a-z]+)[\s\-/.,]+(\d{1,2})(?:st|nd|rd|th)?[\s\-/.,]+(\d{4})$/i);
      if (!g) return null;
      const m = MONTHS[g[1].toLowerCase()];
      return m ? check(+g[3], m, +g[2]) : { ok: false, reason: `unknown month "${g[1]}"` };
    }
    case 'DD/MM/YYYY|MM/DD/YYYY': {
      // Day-first and month-first read the same text; accept only when exactly one reading is a real date
      // or both readings agree (5/5/1980). Anything else would be a guess.
      const a = parseWith('DD/MM/YYYY', text);
      const b = parseWith('MM/DD/YYYY', text);
      if (!a || !b) return null;
      if (a.ok && b.ok) return a.value === b.value ? a : { ok: false, reason: 'ambiguous day/month order (set dateFormats)' };
      if (a.ok) return a;
      if (b.ok) return b;
      return a;
    }
    default:
      throw new Error(`unknown date format ${format}`);
  }
}

const PLACEHOLDER_DATES = new Set(['1900-01-01', '1901-01-01']);

export function parseDate(raw: string, formats: string[] = DEFAULT_DATE_FORMATS): { value: string | null; warning?: string } {
  const text = raw.trim().replace(/\s+/g, ' ');
  let failure: string | undefined;
  for (const format of formats) {
    const r = parseWith(format.toUpperCase(), text);
    if (!r) continue;
    if (r.ok) {
      if (PLACEHOLDER_DATES.has(r.value)) return { value: null, warning: `placeholder date ${r.value}` };
      return { value: r.value };
    }
    failure ??= r.reason;
  }
  return { value: null, warning: failure ? `invalid date "${raw}": ${failure}` : `unrecognised date "${raw}"` };
}

// ---------------------------------------------------------------------------------------------------------
// Addresses

const STREET_TYPES: Record<string, string> = {
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', blvd: 'boulevard', dr: 'drive', drv: 'drive',
  ln: 'lane', ct: 'court', crt: 'court', cres: 'crescent', cr: 'crescent', pl: 'place', hwy: 'highway', pde: 'parade',
  tce: 'terrace', terr: 'terrace', sq: 'square', pkwy: 'parkway', cir: 'circle', cct: 'circuit', cl: 'close',
  gr: 'grove', gve: 'grove', esp: 'esplanade', wy: 'way', mt: 'mount', ter: 'terrace', trl: 'trail', expy: 'expressway',
  fwy: 'freeway', hts: 'heights', gdns: 'gardens', cv: 'cove', pt: 'point', rdg: 'ridge', mews: 'mews',
};
const UNIT_WORDS: Record<string, string> = {
  apt: 'apartment', apmt: 'apartment', flt: 'flat', ste: 'suite', fl: 'floor', flr: 'floor', bldg: 'building', lvl: 'level',
  unit: 'unit', u: 'unit', rm: 'room', po: 'po', '#': 'unit',
};
const DIRECTIONS: Record<string, string> = { n: 'north', s: 'south', e: 'east', w: 'west', nth: 'north', sth: 'south' };
const KEEP_UPPER = new Set(['po', 'ne', 'nw', 'se', 'sw', 'gpo', 'rd1', 'rr']);

function titleCase(text: string): string {
  return text.split(' ').map((w) => (KEEP_UPPER.has(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/** Expand common abbreviations so "12 Smith St." and "12 smith street" agree. Lower-case words out. */
export function expandAddress(raw: string): string {
  const tokens = foldText(raw.replace(/#\s*(\d)/g, 'unit $1')).split(' ').filter(Boolean);
  return tokens
    .map((t, i) => {
      if (t === 'st' && i === 0 && tokens.length > 1) return 'saint';
      if (STREET_TYPES[t] && i > 0) return STREET_TYPES[t];
      if (UNIT_WORDS[t]) return UNIT_WORDS[t];
      if (DIRECTIONS[t] && tokens.length > 1) return DIRECTIONS[t];
      return t;
    })
    .join(' ');
}

const COUNTRIES: Record<string, string> = {
  'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', britain: 'GB',
  'united states': 'US', 'united states of america': 'US', usa: 'US', us: 'US', america: 'US',
  australia: 'AU', 'new zealand': 'NZ', canada: 'CA', ireland: 'IE', france: 'FR', germany: 'DE', deutschland: 'DE',
  spain: 'ES', italy: 'IT', netherlands: 'NL', 'the netherlands': 'NL', holland: 'NL', belgium: 'BE', switzerland: 'CH',
  austria: 'AT', sweden: 'SE', norway: 'NO', denmark: 'DK', finland: 'FI', portugal: 'PT', poland: 'PL', india: 'IN',
  china: 'CN', japan: 'JP', 'south africa': 'ZA', singapore: 'SG', 'hong kong': 'HK', mexico: 'MX', brazil: 'BR',
};

function normaliseCountry(raw: string): string | null {
  const folded = foldText(raw);
  if (COUNTRIES[folded]) return COUNTRIES[folded];
  if (/^[a-z]{2}$/.test(folded)) return folded.toUpperCase();
  return null;
}

function normalisePostcode(raw: string, country: string | null): string | null {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!compact) return null;
  if ((country === 'GB' || country === null) && /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) {
    return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  }
  if ((country === 'US' || country === null) && /^\d{9}$/.test(compact) && /\d{5}-\d{4}/.test(raw)) return `${compact.slice(0, 5)}-${compact.slice(5)}`;
  if (country === 'CA' && /^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(compact)) return `${compact.slice(0, 3)} ${compact.slice(3)}`;
  return compact;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Turn what one import row says into the normalised person that matching compares. Never guesses: a value that
 * cannot be read unambiguously, or is a known placeholder, becomes null with a warning.
 */
export function normalisePerson(input: CanonicalInput, opts: NormaliseOptions = {}): { person: NormalisedPerson; warnings: NormaliseWarning[] } {
  const warnings: NormaliseWarning[] = [];
  const warn = (field: CanonicalField, message: string) => warnings.push({ field, message });
  const text = (field: CanonicalField): string | null => {
    const raw = input[field];
    if (raw === null || raw === undefined) return null;
    const trimmed = String(raw).trim();
    if (!trimmed) return null;
    if (isPlaceholderText(trimmed)) {
      warn(field, `placeholder value "${trimmed}" ignored`);
      return null;
    }
    return trimmed;
  };

  // Names
  let given = text('given_name');
  let family = text('family_name');
  const full = text('full_name');
  if (full && !given && !family) {
    const split = splitFullName(full);
    given = split.given;
    family = split.family;
  }
  const givenName = given ? tidyName(given) || null : null;
  const familyName = family ? tidyName(family) || null : null;
  const fullName = full ? tidyName(full) || null : [givenName, familyName].filter(Boolean).join(' ') || null;

  // Date of birth
  let dateOfBirth: string | null = null;
  const dobRaw = text('date_of_birth');
  if (dobRaw) {
    const parsed = parseDate(dobRaw, opts.dateFormats);
    dateOfBirth = parsed.value;
    if (parsed.warning) warn('date_of_birth', parsed.warning);
  }

  // Country first: phones and postcodes read differently per country
  const countryRaw = text('country');
  let country: string | null = null;
  if (countryRaw) {
    country = normaliseCountry(countryRaw);
    if (!country) warn('country', `unknown country "${countryRaw}"`);
  }

  // Email
  let email: string | null = null;
  const emailRaw = text('email');
  if (emailRaw) {
    const e = emailRaw.replace(/^mailto:/i, '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) warn('email', `not an email address "${emailRaw}"`);
    else if (isPlaceholderEmail(e)) warn('email', `placeholder email "${emailRaw}" ignored`);
    else email = e;
  }

  // Phone
  let phone: string | null = null;
  const phoneRaw = text('phone');
  if (phoneRaw) {
    const digits = phoneRaw.replace(/\D/g, '');
    if (isPlaceholderDigits(digits.replace(/^(00|\+)?1(?=\d{10}$)/, ''))) warn('phone', `placeholder phone "${phoneRaw}" ignored`);
    else {
      const region = (country ?? opts.defaultCountry ?? 'US') as CountryCode;
      const parsed = parsePhoneNumberFromString(phoneRaw, region);
      if (parsed && parsed.isValid()) phone = parsed.number;
      else warn('phone', `not a valid phone number "${phoneRaw}" (region ${region})`);
    }
  }

  // National id: separators are formatting, not content
  let nationalId: string | null = null;
  const idRaw = text('national_id');
  if (idRaw) {
    const compact = idRaw.toUpperCase().replace(/[\s\-./]/g, '');
    const digits = compact.replace(/\D/g, '');
    if (digits.length === compact.length && isPlaceholderDigits(digits)) warn('national_id', `placeholder national id "${idRaw}" ignored`);
    else if (/^([A-Z0-9])\1+$/.test(compact)) warn('national_id', `placeholder national id "${idRaw}" ignored`);
    else nationalId = compact;
  }

  // Address
  const street = text('street_number');
  const line1 = text('address_line1');
  const line2 = text('address_line2');
  const locality = text('locality');
  const postcodeRaw = text('postcode');
  const region = text('region');
  let postcode: string | null = null;
  if (postcodeRaw) {
    postcode = normalisePostcode(postcodeRaw, country);
    if (postcode && /^0+$|^9+$/.test(postcode.replace(/\W/g, ''))) {
      warn('postcode', `placeholder postcode "${postcodeRaw}" ignored`);
      postcode = null;
    }
  }
  const addr = (v: string | null) => (v ? titleCase(expandAddress(v)) || null : null);
  const regionTidy = region ? (region.replace(/[^\p{L}\s]/gu, '').length <= 3 ? region.toUpperCase().replace(/\W/g, '') : titleCase(foldText(region))) || null : null;

  const person: NormalisedPerson = {
    externalId: (input.external_id ?? '').toString().trim(),
    givenName,
    familyName,
    fullName,
    searchName: searchKey({ givenName, familyName, fullName }),
    dateOfBirth,
    email,
    phone,
    streetNumber: street ? street.toUpperCase().replace(/\s+/g, '') : null,
    addressLine1: addr(line1),
    addressLine2: addr(line2),
    locality: locality ? titleCase(foldText(locality)) || null : null,
    postcode,
    region: regionTidy,
    country,
    nationalId,
  };
  return { person, warnings };
}
