import type { NormalisedPerson } from './canonical.js';
import { emailMatchKey, expandAddress, foldText, nameKey } from './normalise.js';
import { canonicalGivenName, nameGroups } from './nicknames.js';

// =========================================================================================================
// String metrics. Written for the hot loop: no allocation per call below 64 characters.

const SCRATCH = 64;
const flagsA = new Uint8Array(SCRATCH);
const flagsB = new Uint8Array(SCRATCH);

const histogram = new Int32Array(64);

/** Size of the multiset intersection of the two strings' characters (folded to 64 buckets): an upper bound on matches. */
function commonCharacters(a: string, b: string): number {
  for (let j = 0; j < b.length; j++) histogram[b.charCodeAt(j) & 63]++;
  let common = 0;
  for (let i = 0; i < a.length; i++) {
    const k = a.charCodeAt(i) & 63;
    if (histogram[k] > 0) {
      histogram[k]--;
      common++;
    }
  }
  for (let j = 0; j < b.length; j++) histogram[b.charCodeAt(j) & 63] = 0;
  return common;
}

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters), as in Winkler (1990). */
export function jaroWinkler(a: string, b: string): number {
  return jaroWinklerAbove(a, b, 0);
}

/**
 * Jaro-Winkler, or any value below `floor` when the pair cannot reach it. The bound counts the characters of
 * `a` that occur anywhere in `b` (no more can match), which rejects most unrelated names in O(length).
 */
export function jaroWinklerAbove(a: string, b: string, floor: number): number {
  if (a === b) return a.length ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  if (floor > 0) {
    const m = Math.min(commonCharacters(a, b), la, lb);
    const bound = m === 0 ? 0 : (m / la + m / lb + 1) / 3;
    if (bound + prefix * 0.1 * (1 - bound) < floor) return bound;
  }
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  let transpositions = 0;
  if (la <= 31 && lb <= 31) {
    // Bit flags: no scratch arrays to clear.
    let fa = 0;
    let fb = 0;
    for (let i = 0; i < la; i++) {
      const lo = i > window ? i - window : 0;
      const hi = Math.min(lb - 1, i + window);
      const c = a.charCodeAt(i);
      for (let j = lo; j <= hi; j++) {
        if ((fb & (1 << j)) === 0 && b.charCodeAt(j) === c) {
          fa |= 1 << i;
          fb |= 1 << j;
          matches++;
          break;
        }
      }
    }
    if (matches === 0) return 0;
    let k = 0;
    for (let i = 0; i < la; i++) {
      if ((fa & (1 << i)) === 0) continue;
      while ((fb & (1 << k)) === 0) k++;
      if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
      k++;
    }
  } else {
    const fa = la <= SCRATCH ? flagsA : new Uint8Array(la);
    const fb = lb <= SCRATCH ? flagsB : new Uint8Array(lb);
    fa.fill(0, 0, la);
    fb.fill(0, 0, lb);
    for (let i = 0; i < la; i++) {
      const lo = Math.max(0, i - window);
      const hi = Math.min(lb - 1, i + window);
      const c = a.charCodeAt(i);
      for (let j = lo; j <= hi; j++) {
        if (fb[j] === 0 && b.charCodeAt(j) === c) {
          fa[i] = 1;
          fb[j] = 1;
          matches++;
          break;
        }
      }
    }
    if (matches === 0) return 0;
    let k = 0;
    for (let i = 0; i < la; i++) {
      if (fa[i] === 0) continue;
      while (fb[k] === 0) k++;
      if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
      k++;
    }
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Whether two strings are at most one substitution, insertion, deletion or adjacent transposition apart. */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let i = 0;
    while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (i >= la - 1) return true;
    // one substitution at i: the rest equal
    let k = i + 1;
    while (k < la && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    if (k === la) return true;
    // or a transposition of i and i+1
    if (a.charCodeAt(i) !== b.charCodeAt(i + 1) || a.charCodeAt(i + 1) !== b.charCodeAt(i)) return false;
    for (k = i + 2; k < la; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
    return true;
  }
  if (la - lb !== 1 && lb - la !== 1) return false;
  const s = la < lb ? a : b;
  const l = la < lb ? b : a;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
  for (let k = i; k < s.length; k++) if (s.charCodeAt(k) !== l.charCodeAt(k + 1)) return false;
  return true;
}

/** Whether the last `n` characters of a and b are equal (both at least n long). */
function sameSuffix(a: string, b: string, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let k = 1; k <= n; k++) if (a.charCodeAt(a.length - k) !== b.charCodeAt(b.length - k)) return false;
  return true;
}

/** Whether the first `n` characters of a and b are equal (both at least n long). */
function samePrefix(a: string, b: string, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let k = 0; k < n; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return true;
}

let rowPrev2 = new Int32Array(SCRATCH + 1);
let rowPrev = new Int32Array(SCRATCH + 1);
let rowCur = new Int32Array(SCRATCH + 1);

/**
 * Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count 1), stopping early
 * once every cell of a row exceeds `max` (then returns max + 1).
 */
export function damerauLevenshtein(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  // Each edit removes at most one character from the multiset difference (a transposition none), so
  // max(la, lb) - common <= distance: rejects most unrelated strings without the DP.
  if (max < la + lb && Math.max(la, lb) - commonCharacters(a, b) > max) return max + 1;
  if (lb + 1 > rowCur.length) {
    rowPrev2 = new Int32Array(lb + 1);
    rowPrev = new Int32Array(lb + 1);
    rowCur = new Int32Array(lb + 1);
  }
  let p2 = rowPrev2;
  let p1 = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lb; j++) p1[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(p1[j] + 1, cur[j - 1] + 1, p1[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, p2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = p2;
    p2 = p1;
    p1 = cur;
    cur = t;
  }
  return p1[lb];
}

// =========================================================================================================
// Phonetic codes

/** American Soundex (letter + 3 digits). Used in blocking keys: coarse on purpose. */
export function soundex(word: string): string {
  const s = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!s) return '';
  const code = (c: string) => ('bfpv'.includes(c) ? '1' : 'cgjkqsxz'.includes(c) ? '2' : 'dt'.includes(c) ? '3' : c === 'l' ? '4' : 'mn'.includes(c) ? '5' : c === 'r' ? '6' : '');
  let out = s[0].toUpperCase();
  let last = code(s[0]);
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const c = s[i];
    const d = code(c);
    if (d && d !== last) out += d;
    if (c !== 'h' && c !== 'w') last = d;
  }
  return out.padEnd(4, '0');
}

const isVowel = (c: string) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/** NYSIIS (Taft 1970), untruncated: a phonetic key that keeps more of the name than Soundex. */
export function nysiis(word: string): string {
  let s = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!s) return '';
  const starts: [string, string][] = [['mac', 'mcc'], ['kn', 'nn'], ['k', 'c'], ['ph', 'ff'], ['pf', 'ff'], ['sch', 'sss']];
  for (const [from, to] of starts) if (s.startsWith(from)) { s = to + s.slice(from.length); break; }
  const ends: [string, string][] = [['ee', 'y'], ['ie', 'y'], ['dt', 'd'], ['rt', 'd'], ['rd', 'd'], ['nt', 'd'], ['nd', 'd']];
  for (const [from, to] of ends) if (s.endsWith(from)) { s = s.slice(0, -from.length) + to; break; }
  const chars = s.split('');
  let key = chars[0];
  for (let i = 1; i < chars.length; i++) {
    let c = chars[i];
    if (c === 'e' && chars[i + 1] === 'v') { chars[i + 1] = 'f'; c = 'a'; }
    else if (isVowel(c)) c = 'a';
    else if (c === 'q') c = 'g';
    else if (c === 'z') c = 's';
    else if (c === 'm') c = 'n';
    else if (c === 'k') c = chars[i + 1] === 'n' ? 'n' : 'c';
    else if (c === 's' && chars[i + 1] === 'c' && chars[i + 2] === 'h') { chars[i + 1] = 's'; chars[i + 2] = 's'; }
    else if (c === 'p' && chars[i + 1] === 'h') { chars[i + 1] = 'f'; c = 'f'; }
    else if (c === 'h' && (!isVowel(chars[i - 1]) || (i + 1 < chars.length && !isVowel(chars[i + 1])))) c = chars[i - 1];
    else if (c === 'w' && isVowel(chars[i - 1])) c = chars[i - 1];
    chars[i] = c;
    if (c !== key[key.length - 1]) key += c;
  }
  if (key.length > 1 && key.endsWith('s')) key = key.slice(0, -1);
  if (key.endsWith('ay')) key = key.slice(0, -2) + 'y';
  if (key.length > 1 && key.endsWith('a')) key = key.slice(0, -1);
  return key.toUpperCase();
}

// =========================================================================================================
// The person table: records as integer codes in typed arrays, so that blocking and comparison touch no objects.

/** A growable Int32Array. */
export class IntVec {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** One dictionary-encoded text column: code -1 is null; `counts` is each value's term frequency. */
export class Column {
  readonly codes: IntVec;
  readonly values: string[] = [];
  readonly counts: number[] = [];
  private readonly index = new Map<string, number>();
  nonNull = 0;
  constructor(capacity: number) {
    this.codes = new IntVec(capacity);
  }
  code(value: string): number {
    let c = this.index.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.index.set(value, c);
      this.values.push(value);
      this.counts.push(0);
    }
    return c;
  }
  /** The code of a value already in the column, or -1. */
  lookup(value: string): number {
    return this.index.get(value) ?? -1;
  }
  push(value: string | null | undefined): void {
    if (!value) {
      this.codes.push(-1);
      return;
    }
    const c = this.code(value);
    this.counts[c]++;
    this.nonNull++;
    this.codes.push(c);
  }
  set(row: number, value: string | null | undefined): void {
    const old = this.codes.data[row];
    if (old >= 0) {
      this.counts[old]--;
      this.nonNull--;
    }
    if (!value) {
      this.codes.data[row] = -1;
      return;
    }
    const c = this.code(value);
    this.counts[c]++;
    this.nonNull++;
    this.codes.data[row] = c;
  }
  /** Share of non-null rows holding this code: the term frequency that weights an exact agreement. */
  frequency(code: number): number {
    return this.nonNull ? this.counts[code] / this.nonNull : 0;
  }
}

export const TEXT_COLUMNS = [
  'given', 'givenCanon', 'givenPhon', 'family', 'familyPhon', 'familySoundex', 'email', 'emailUser', 'phone', 'nationalId',
  'postcode', 'locality', 'street', 'address1', 'address2', 'region',
] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];
const columnIndex = (c: TextColumn) => TEXT_COLUMNS.indexOf(c);

/** What the resolver needs to know about a source record besides the person. */
export interface ResolveRecord {
  /** Source record id (unique across the run). */
  id: string;
  /** Source system the record came from: drives unique-per-person constraints and survivorship priority. */
  source?: string;
  division?: string;
  /** ISO time the source last changed the record. */
  updatedAt?: string | null;
  person: NormalisedPerson;
}

const compact = (s: string) => s.replace(/ /g, '');

const STREET_ABBREVIATIONS: [string, string][] = [
  ['street', 'st'], ['road', 'rd'], ['avenue', 'av'], ['boulevard', 'bv'], ['drive', 'dr'], ['lane', 'ln'], ['court', 'ct'],
  ['crescent', 'cr'], ['place', 'pl'], ['highway', 'hw'], ['parade', 'pd'], ['terrace', 'tc'], ['square', 'sq'],
  ['parkway', 'pk'], ['circle', 'ci'], ['circuit', 'cc'], ['close', 'cl'], ['grove', 'gr'], ['esplanade', 'es'], ['way', 'wy'],
];

/**
 * Matching form of an address line: compact, with street types shortened to two letters (also when glued to the
 * name, "pridhamstreet"), so that string similarity looks at the street's name rather than its common suffix.
 */
function addressForm(line: string): string {
  let s = compact(expandAddress(line));
  for (const [word, short] of STREET_ABBREVIATIONS) {
    if (s.length > word.length + 2 && s.endsWith(word)) {
      s = s.slice(0, -word.length) + short;
      break;
    }
  }
  return s;
}

type Forms = (string | null)[];

/**
 * Derived matching forms, memoised by raw value: names, streets and towns repeat across records, and folding,
 * abbreviation and phonetic coding are the costly part of encoding a million records.
 */
class FormCache {
  private readonly given = new Map<string, Forms>();
  private readonly family = new Map<string, Forms>();
  private readonly place = new Map<string, string | null>();
  private readonly street = new Map<string, string | null>();
  private readonly regions = new Map<string, string | null>();

  givenForms(raw: string | null): Forms {
    if (!raw) return [null, null, null];
    let f = this.given.get(raw);
    if (!f) {
      const given = nameKey(raw);
      const first = given.split(' ')[0];
      f = [given ? compact(given) : null, first ? canonicalGivenName(first) : null, first ? nysiis(first) || null : null];
      this.given.set(raw, f);
    }
    return f;
  }

  familyForms(raw: string | null): Forms {
    if (!raw) return [null, null, null];
    let f = this.family.get(raw);
    if (!f) {
      const family = compact(nameKey(raw));
      f = [family || null, family ? nysiis(family) || null : null, family ? soundex(family) || null : null];
      this.family.set(raw, f);
    }
    return f;
  }

  locality(raw: string | null): string | null {
    if (!raw) return null;
    let f = this.place.get(raw);
    if (f === undefined) this.place.set(raw, (f = compact(foldText(raw)) || null));
    return f;
  }

  region(raw: string | null): string | null {
    if (!raw) return null;
    let f = this.regions.get(raw);
    if (f === undefined) this.regions.set(raw, (f = foldText(raw) || null));
    return f;
  }

  address(raw: string | null, line: 1 | 2): string | null {
    if (!raw) return null;
    const key = line === 1 ? raw : `\u0000${raw}`;
    let f = this.street.get(key);
    if (f === undefined) this.street.set(key, (f = (line === 1 ? addressForm(raw) : compact(expandAddress(raw))) || null));
    return f;
  }
}

/** The matching forms of one person, in the order of TEXT_COLUMNS. */
function matchingForms(p: NormalisedPerson, cache: FormCache): Forms {
  const [given, givenCanon, givenPhon] = cache.givenForms(p.givenName);
  const [family, familyPhon, familySoundex] = cache.familyForms(p.familyName);
  const email = p.email ? emailMatchKey(p.email) : '';
  return [
    given,
    givenCanon,
    givenPhon,
    family,
    familyPhon,
    familySoundex,
    email || null,
    email ? email.slice(0, email.lastIndexOf('@')) || null : null,
    p.phone ? p.phone.replace(/\D/g, '') || null : null,
    p.nationalId ? p.nationalId.toUpperCase().replace(/[^A-Z0-9]/g, '') || null : null,
    p.postcode ? p.postcode.toUpperCase().replace(/[^A-Z0-9]/g, '') || null : null,
    cache.locality(p.locality),
    p.streetNumber ? p.streetNumber.toLowerCase().replace(/[^a-z0-9]/g, '') || null : null,
    cache.address(p.addressLine1, 1),
    cache.address(p.addressLine2, 2),
    cache.region(p.region),
  ];
}

function dobNumber(iso: string | null): number {
  if (!iso) return -1;
  const n = Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
  return Number.isFinite(n) ? n : -1;
}

/**
 * All records of a run, columnar. Rows are appended (a new record) or overwritten (a changed record); a row
 * number never changes, so pairs and clusters can refer to records by row.
 */
export class PersonTable {
  readonly columns: Record<TextColumn, Column>;
  /** The same columns by position in TEXT_COLUMNS: hot loops index this array, not the record by name. */
  readonly cols: Column[];
  readonly dob: IntVec;
  readonly source: IntVec;
  readonly ids: string[] = [];
  readonly records: ResolveRecord[] = [];
  readonly rowById = new Map<string, number>();
  readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  /** Given-name nickname groups per code of `given`, as codes of `givenCanon` (filled lazily). */
  private readonly groupCache: (Int32Array | undefined)[] = [];
  private readonly formCache = new FormCache();

  constructor(capacity = 1024) {
    this.cols = TEXT_COLUMNS.map(() => new Column(capacity));
    this.columns = Object.fromEntries(TEXT_COLUMNS.map((c, k) => [c, this.cols[k]])) as Record<TextColumn, Column>;
    this.dob = new IntVec(capacity);
    this.source = new IntVec(capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  sourceCode(name: string): number {
    let c = this.sourceIndex.get(name);
    if (c === undefined) {
      c = this.sources.length;
      this.sources.push(name);
      this.sourceIndex.set(name, c);
    }
    return c;
  }

  /** Append a record, or overwrite the row of a record with the same id. Returns the row. */
  upsert(record: ResolveRecord): number {
    const forms = matchingForms(record.person, this.formCache);
    const existing = this.rowById.get(record.id);
    if (existing !== undefined) {
      for (let k = 0; k < forms.length; k++) this.cols[k].set(existing, forms[k]);
      this.dob.data[existing] = dobNumber(record.person.dateOfBirth);
      this.source.data[existing] = this.sourceCode(record.source ?? '');
      this.records[existing] = record;
      return existing;
    }
    const row = this.ids.length;
    for (let k = 0; k < forms.length; k++) this.cols[k].push(forms[k]);
    this.dob.push(dobNumber(record.person.dateOfBirth));
    this.source.push(this.sourceCode(record.source ?? ''));
    this.ids.push(record.id);
    this.records.push(record);
    this.rowById.set(record.id, row);
    return row;
  }

  static from(records: readonly ResolveRecord[]): PersonTable {
    // Headroom for incremental batches: growing 16 columns of a million rows means copying them all.
    const t = new PersonTable(records.length + (records.length >> 4) + 1024);
    for (const r of records) t.upsert(r);
    return t;
  }

  value(column: TextColumn, row: number): string | null {
    const col = this.cols[columnIndex(column)];
    const c = col.codes.data[row];
    return c < 0 ? null : col.values[c];
  }

  /** Nickname groups of the row's given name (first word), as `givenCanon` codes. */
  givenGroups(row: number): Int32Array | null {
    const code = this.columns.given.codes.data[row];
    if (code < 0) return null;
    let g = this.groupCache[code];
    if (!g) {
      const first = this.columns.given.values[code];
      const word = this.records[row] ? nameKey(this.records[row].person.givenName).split(' ')[0] : first;
      g = Int32Array.from(nameGroups(word).map((name) => this.columns.givenCanon.code(name)));
      // Pad rather than write past the end: a sparse write would turn the array into a hash table.
      while (this.groupCache.length <= code) this.groupCache.push(undefined);
      this.groupCache[code] = g;
    }
    return g;
  }
}

// =========================================================================================================
// Comparisons: each maps a pair of rows to a level (0 = strongest agreement, -1 = a value is missing).

export interface ComparisonLevel {
  label: string;
  /** Exact agreement whose weight is adjusted by the value's term frequency (rare values weigh more). */
  tf?: boolean;
}

export interface Comparison {
  /** Name used in settings, explanations and stored links. */
  name: string;
  levels: ComparisonLevel[];
  /** Column whose term frequencies adjust the `tf` level. */
  tfColumn?: TextColumn;
  compare(t: PersonTable, i: number, j: number): number;
}

/** A fuzzy level: Jaro-Winkler at least `min`, edit distance at most `max`, or the same first `prefix` characters. */
type Rung = { label: string; jw?: number; maxEdits?: number; prefix?: number };

function rungHolds(r: Rung, a: string, b: string, similarity: number): boolean {
  if (r.jw !== undefined) return similarity >= r.jw;
  if (r.maxEdits !== undefined) return r.maxEdits === 1 ? withinOneEdit(a, b) : damerauLevenshtein(a, b, r.maxEdits) <= r.maxEdits;
  if (r.prefix !== undefined) return samePrefix(a, b, r.prefix);
  return false;
}

/** Exact, then a ladder of fuzzy tests, then "else". Exact is checked on codes, so it costs nothing. */
function textComparison(name: string, column: TextColumn, ladder: Rung[], tf: boolean): Comparison {
  const levels: ComparisonLevel[] = [{ label: 'exact', tf }, ...ladder.map((l) => ({ label: l.label })), { label: 'else' }];
  const elseLevel = levels.length - 1;
  const index = columnIndex(column);
  // One Jaro-Winkler per pair serves every rung; below the lowest threshold its cheap bound is enough.
  const jwFloor = Math.min(...ladder.map((r) => r.jw ?? Infinity));
  return {
    name,
    levels,
    tfColumn: tf ? column : undefined,
    compare(t, i, j) {
      const col = t.cols[index];
      const a = col.codes.data[i];
      const b = col.codes.data[j];
      if (a < 0 || b < 0) return -1;
      if (a === b) return 0;
      const va = col.values[a];
      const vb = col.values[b];
      const similarity = jwFloor === Infinity ? 0 : jaroWinklerAbove(va, vb, jwFloor);
      for (let k = 0; k < ladder.length; k++) if (rungHolds(ladder[k], va, vb, similarity)) return k + 1;
      return elseLevel;
    },
  };
}


/** Cheap gate for the swap test: a swapped (and maybe mistyped) name keeps its first or its last letter. */
function sameEnd(x: string, y: string): boolean {
  return x.charCodeAt(0) === y.charCodeAt(0) || x.charCodeAt(x.length - 1) === y.charCodeAt(y.length - 1);
}

/** Given and family names written in each other's fields ("Mason, Madeline" vs "Madeline Mason"). */
function namesSwapped(t: PersonTable, i: number, j: number): boolean {
  const g = t.columns.given;
  const f = t.columns.family;
  const gi = g.codes.data[i], gj = g.codes.data[j], fi = f.codes.data[i], fj = f.codes.data[j];
  if (gi < 0 || gj < 0 || fi < 0 || fj < 0) return false;
  const gvi = g.values[gi], gvj = g.values[gj], fvi = f.values[fi], fvj = f.values[fj];
  if (!sameEnd(gvi, fvj) || !sameEnd(fvi, gvj)) return false;
  return jaroWinklerAbove(gvi, fvj, 0.9) >= 0.9 && jaroWinklerAbove(fvi, gvj, 0.9) >= 0.9;
}

/** Whether the given-name comparison would not already find the given names alike (so it checks the swap). */
function givenLevelBelowSwap(t: PersonTable, i: number, j: number): boolean {
  const col = t.columns.given;
  const a = col.codes.data[i];
  const b = col.codes.data[j];
  if (a < 0 || b < 0 || a === b) return false;
  const ga = t.givenGroups(i)!;
  const gb = t.givenGroups(j)!;
  for (let x = 0; x < ga.length; x++) for (let y = 0; y < gb.length; y++) if (ga[x] === gb[y]) return false;
  return jaroWinklerAbove(col.values[a], col.values[b], 0.92) < 0.92;
}

function givenNameComparison(): Comparison {
  const levels: ComparisonLevel[] = [
    { label: 'exact', tf: true }, { label: 'nickname' }, { label: 'swapped with family name' }, { label: 'jaro-winkler >= 0.92' },
    { label: 'jaro-winkler >= 0.8' }, { label: 'same phonetic code' }, { label: 'else' },
  ];
  return {
    name: 'given_name',
    levels,
    tfColumn: 'given',
    compare(t, i, j) {
      const col = t.columns.given;
      const a = col.codes.data[i];
      const b = col.codes.data[j];
      if (a < 0 || b < 0) return namesSwapped(t, i, j) ? 2 : -1;
      if (a === b) return 0;
      const ga = t.givenGroups(i)!;
      const gb = t.givenGroups(j)!;
      for (let x = 0; x < ga.length; x++) for (let y = 0; y < gb.length; y++) if (ga[x] === gb[y]) return 1;
      const s = jaroWinklerAbove(col.values[a], col.values[b], 0.8);
      if (s < 0.92 && namesSwapped(t, i, j)) return 2;
      if (s >= 0.92) return 3;
      if (s >= 0.8) return 4;
      const p = t.columns.givenPhon.codes.data;
      if (p[i] >= 0 && p[i] === p[j]) return 5;
      return 6;
    },
  };
}

function familyNameComparison(): Comparison {
  const levels: ComparisonLevel[] = [
    { label: 'exact', tf: true }, { label: 'jaro-winkler >= 0.92' }, { label: 'jaro-winkler >= 0.8' },
    { label: 'same phonetic code' }, { label: 'else' },
  ];
  return {
    name: 'family_name',
    levels,
    tfColumn: 'family',
    compare(t, i, j) {
      const col = t.columns.family;
      const a = col.codes.data[i];
      const b = col.codes.data[j];
      if (a < 0 || b < 0) return -1;
      if (a === b) return 0;
      const s = jaroWinklerAbove(col.values[a], col.values[b], 0.8);
      // Swapped names are scored once, by the given-name comparison's "swapped" level.
      if (s < 0.92 && givenLevelBelowSwap(t, i, j) && namesSwapped(t, i, j)) return -1;
      if (s >= 0.92) return 1;
      if (s >= 0.8) return 2;
      const p = t.columns.familyPhon.codes.data;
      if (p[i] >= 0 && p[i] === p[j]) return 3;
      return 4;
    },
  };
}

/** Date-of-birth levels for the ways a keyed date goes wrong: a digit, a swapped day and month, the year. */
function dobComparison(): Comparison {
  const levels: ComparisonLevel[] = [
    // (Same year and month would be unreachable: a different day is at most two digits off.)
    { label: 'exact' }, { label: 'one digit off or transposed' }, { label: 'day and month swapped' }, { label: 'two digits off' },
    { label: 'same year' }, { label: 'else' },
  ];
  return {
    name: 'date_of_birth',
    levels,
    compare(t, i, j) {
      const a = t.dob.data[i];
      const b = t.dob.data[j];
      if (a < 0 || b < 0) return -1;
      if (a === b) return 0;
      // Positional digit differences of yyyymmdd, and whether two differing neighbours are a swap.
      let diff = 0;
      let first = -1;
      let firstA = 0;
      let firstB = 0;
      let swap = false;
      let x = a;
      let y = b;
      for (let k = 0; k < 8; k++) {
        const ca = x % 10;
        const cb = y % 10;
        if (ca !== cb) {
          diff++;
          if (diff === 1) {
            first = k;
            firstA = ca;
            firstB = cb;
          } else if (diff === 2) swap = first === k - 1 && ca === firstB && cb === firstA;
        }
        x = (x / 10) | 0;
        y = (y / 10) | 0;
      }
      if (diff === 1 || (diff === 2 && swap)) return 1;
      const ya = (a / 10000) | 0, yb = (b / 10000) | 0;
      const ma = ((a / 100) | 0) % 100, mb = ((b / 100) | 0) % 100;
      const dda = a % 100, ddb = b % 100;
      if (ya === yb && ma === ddb && dda === mb) return 2;
      if (diff === 2) return 3;
      if (ya === yb) return 4;
      return 5;
    },
  };
}

/**
 * Email levels: exact, or one part (user or domain) mistyped while the other agrees. The same user name at
 * another provider is no level of its own: john.smith@ at two providers is as often two John Smiths, and names
 * are already compared.
 */
const DIGITS = /\d+/g;

function emailComparison(): Comparison {
  return {
    name: 'email',
    levels: [{ label: 'exact' }, { label: 'user or domain mistyped' }, { label: 'else' }],
    compare(t, i, j) {
      const col = t.columns.email;
      const a = col.codes.data[i];
      const b = col.codes.data[j];
      if (a < 0 || b < 0) return -1;
      if (a === b) return 0;
      const va = col.values[a];
      const vb = col.values[b];
      const ata = va.lastIndexOf('@');
      const atb = vb.lastIndexOf('@');
      const u = t.columns.emailUser.codes.data;
      const sameUser = u[i] >= 0 && u[i] === u[j];
      const sameDomain = va.length - ata === vb.length - atb && va.endsWith(vb.slice(atb));
      if (sameUser && jaroWinklerAbove(va.slice(ata + 1), vb.slice(atb + 1), 0.88) >= 0.88) return 1;
      if (sameDomain) {
        const ua = va.slice(0, ata);
        const ub = vb.slice(0, atb);
        // john.smith73@ and john.smith738@ are two numbered accounts, not a typo.
        if (ua.replace(DIGITS, '') === ub.replace(DIGITS, '')) return 2;
        if (jaroWinklerAbove(ua, ub, 0.88) >= 0.88) return 1;
      }
      return 2;
    },
  };
}

function phoneComparison(): Comparison {
  return {
    name: 'phone',
    levels: [{ label: 'exact' }, { label: 'same last 9 digits' }, { label: 'one digit off or transposed' }, { label: 'else' }],
    compare(t, i, j) {
      const col = t.columns.phone;
      const a = col.codes.data[i];
      const b = col.codes.data[j];
      if (a < 0 || b < 0) return -1;
      if (a === b) return 0;
      const va = col.values[a];
      const vb = col.values[b];
      if (sameSuffix(va, vb, 9)) return 1;
      if (withinOneEdit(va, vb)) return 2;
      return 3;
    },
  };
}

const ADDRESS_PARTS: { column: TextColumn; jw?: number; oneEdit?: boolean }[] = [
  { column: 'street', oneEdit: true },
  { column: 'address1', jw: 0.88 },
  { column: 'address2', jw: 0.9 },
  { column: 'locality', jw: 0.9 },
  { column: 'postcode', oneEdit: true },
];

/** One edit apart, for values long enough that one edit is a typo rather than another value (house 4 vs 9). */
function oneEditApart(a: string, b: string): boolean {
  return a.length >= 3 && b.length >= 3 && withinOneEdit(a, b);
}

/**
 * One comparison for the whole address, by how many of its parts (number, lines, locality, postcode) present on
 * both sides agree. Address parts move together: scored as separate comparisons, one house move would count
 * as four independent disagreements and EM would learn that matches never move.
 */
function addressComparison(): Comparison {
  const parts = ADDRESS_PARTS.map((p) => ({ ...p, index: columnIndex(p.column) }));
  return {
    name: 'address',
    levels: [
      { label: 'all parts agree exactly' }, { label: 'all parts agree' }, { label: 'all but one part agree' },
      { label: 'two or more parts agree' }, { label: 'one part agrees' }, { label: 'no part agrees' },
    ],
    compare(t, i, j) {
      let present = 0;
      let agree = 0;
      let exact = 0;
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k];
        const col = t.cols[part.index];
        const a = col.codes.data[i];
        const b = col.codes.data[j];
        if (a < 0 || b < 0) continue;
        present++;
        if (a === b) {
          agree++;
          exact++;
        } else if (part.oneEdit ? oneEditApart(col.values[a], col.values[b]) : jaroWinklerAbove(col.values[a], col.values[b], part.jw!) >= part.jw!) {
          agree++;
        }
      }
      if (present === 0) return -1;
      if (present >= 2 && exact === present) return 0;
      if (present >= 2 && agree === present) return 1;
      if (present >= 3 && agree === present - 1) return 2;
      if (agree >= 2) return 3;
      if (agree === 1) return 4;
      return 5;
    },
  };
}

/** The comparisons the default settings use, by name. */
export function defaultComparisons(): Comparison[] {
  return [
    givenNameComparison(),
    familyNameComparison(),
    dobComparison(),
    textComparison('national_id', 'nationalId', [{ label: 'one character off', maxEdits: 1 }, { label: 'two characters off', maxEdits: 2 }], false),
    emailComparison(),
    phoneComparison(),
    addressComparison(),
  ];
}

// =========================================================================================================
// Comparison vectors, collapsed to patterns: EM and scoring work per distinct pattern, not per pair.

export interface ComparisonPatterns {
  /** Pattern index of each pair. */
  patternOf: Int32Array;
  /** Levels of each pattern, row-major (pattern x comparison); -1 = null. */
  levels: Int8Array;
  /** Pairs per pattern. */
  counts: Float64Array;
  nPatterns: number;
  nComparisons: number;
}

/** Compare every pair (a[p], b[p]) under every comparison and group identical level vectors. */
export function comparePairs(t: PersonTable, comparisons: Comparison[], a: Int32Array, b: Int32Array): ComparisonPatterns {
  const C = comparisons.length;
  const radix = comparisons.map((c) => c.levels.length + 1);
  const n = a.length;
  const patternOf = new Int32Array(n);
  const index = new Map<number, number>();
  const levels: number[] = [];
  const counts: number[] = [];
  const row = new Int8Array(C);
  for (let p = 0; p < n; p++) {
    const i = a[p];
    const j = b[p];
    let key = 0;
    for (let c = 0; c < C; c++) {
      const l = comparisons[c].compare(t, i, j);
      row[c] = l;
      key = key * radix[c] + (l + 1);
    }
    let k = index.get(key);
    if (k === undefined) {
      k = counts.length;
      index.set(key, k);
      counts.push(0);
      for (let c = 0; c < C; c++) levels.push(row[c]);
    }
    counts[k]++;
    patternOf[p] = k;
  }
  return { patternOf, levels: Int8Array.from(levels), counts: Float64Array.from(counts), nPatterns: counts.length, nComparisons: C };
}
