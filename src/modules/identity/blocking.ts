import { IntVec, TEXT_COLUMNS, type PersonTable, type TextColumn } from './comparisons.js';

/**
 * A blocking rule: records with the same key are compared. The union of several rules keeps recall high while
 * each rule alone stays selective. A key of null puts the record in no block of that rule.
 */
export interface BlockingRule {
  name: string;
  key(t: PersonTable, row: number): string | number | null;
  /**
   * Comparisons whose fields the key uses. EM does not learn a comparison's m from pairs found only through
   * rules on that comparison's own fields: every such pair agrees there by construction (Splink trains the same way).
   */
  uses: string[];
  /**
   * Blocks larger than this are skipped for this rule (default: the global maxBlockSize). Loose rules get a small
   * cap: on a small file they compare everything they should, on a large one they still catch rare values.
   */
  maxBlockSize?: number;
}

export interface BlockingOptions {
  /** A block with more records than this is skipped (and reported) so that no rule turns quadratic. */
  maxBlockSize: number;
  /** Source codes (PersonTable.sources) whose records are unique per person: two records of one such source are never compared. */
  uniqueSource?: Uint8Array;
}

/** Oversized blocks skipped by one rule. */
export interface SkippedBlock {
  rule: string;
  blocks: number;
  records: number;
  largest: number;
  /** Key of the largest skipped block. */
  example: string;
}

export interface CandidatePairs {
  a: Int32Array;
  b: Int32Array;
  /** Index of the first rule that produced the pair. */
  rule: Uint8Array;
  perRule: Record<string, number>;
  skippedBlocks: SkippedBlock[];
}

// Key helpers --------------------------------------------------------------------------------------------

// Columns by position: a keyed lookup by name in a loop over a million rows is measurably slower.
const COL = Object.fromEntries(TEXT_COLUMNS.map((c, k) => [c, k])) as Record<TextColumn, number>;
const code = (t: PersonTable, column: TextColumn, row: number) => t.cols[COL[column]].codes.data[row];
const value = (t: PersonTable, column: TextColumn, row: number): string | null => {
  const col = t.cols[COL[column]];
  const c = col.codes.data[row];
  return c < 0 ? null : col.values[c];
};
const initial = (s: string | null) => (s ? s.charCodeAt(0) : -1);

/** Key of two non-negative integer parts, or null when either is missing. Parts stay below 2^26. */
const pair = (x: number, y: number) => (x < 0 || y < 0 ? null : x * 67_108_864 + y);

// Name-only keys grow with the population (John Smith): capped lower than identifier keys.
const MEDIUM = 60;
const LOOSE = 25;

/** The default rules, strongest first. Each is selective on its own; the union is what gives recall. */
export function defaultBlockingRules(): BlockingRule[] {
  return [
    { name: 'national_id', uses: ['national_id'], key: (t, r) => nullIfNeg(code(t, 'nationalId', r)) },
    { name: 'email', uses: ['email'], key: (t, r) => nullIfNeg(code(t, 'email', r)) },
    { name: 'phone', uses: ['phone'], key: (t, r) => nullIfNeg(code(t, 'phone', r)) },
    { name: 'dob + given initial', uses: ['date_of_birth', 'given_name'], key: (t, r) => pair(t.dob.data[r], initial(value(t, 'givenCanon', r))) },
    { name: 'dob + family initial', uses: ['date_of_birth', 'family_name'], key: (t, r) => pair(t.dob.data[r], initial(value(t, 'family', r))) },
    { name: 'given (nickname key) + family', uses: ['given_name', 'family_name'], key: (t, r) => pair(code(t, 'givenCanon', r), code(t, 'family', r)), maxBlockSize: MEDIUM },
    {
      name: 'family soundex + given initial + birth year',
      uses: ['family_name', 'given_name', 'date_of_birth'],
      key: (t, r) => {
        const d = t.dob.data[r];
        const g = initial(value(t, 'givenCanon', r));
        const s = code(t, 'familySoundex', r);
        return d < 0 || g < 0 || s < 0 ? null : pair(s, ((d / 10000) | 0) * 256 + g);
      },
      maxBlockSize: MEDIUM,
    },
    {
      name: 'postcode + family prefix',
      uses: ['address', 'family_name'],
      key: (t, r) => {
        const f = value(t, 'family', r);
        return f ? pair(code(t, 'postcode', r), f.charCodeAt(0) * 256 + (f.charCodeAt(1) || 0)) : null;
      },
    },
    {
      name: 'postcode + given initial',
      uses: ['address', 'given_name'],
      key: (t, r) => pair(code(t, 'postcode', r), initial(value(t, 'givenCanon', r))),
    },
    {
      // Swapped names and a typo in either name still leave the phonetic pair intact.
      name: 'phonetic names (either order)',
      uses: ['given_name', 'family_name'],
      key: (t, r) => {
        const g = code(t, 'givenPhon', r);
        const f = code(t, 'familyPhon', r);
        if (g < 0 || f < 0) return null;
        const ids = sharedIds(t, 'phonetic');
        const x = ids.of(t.cols[COL.givenPhon], g, 'g');
        const y = ids.of(t.cols[COL.familyPhon], f, 'f');
        return x < y ? pair(x, y) : pair(y, x);
      },
      maxBlockSize: MEDIUM,
    },
    { name: 'street number + address', uses: ['address'], key: (t, r) => pair(code(t, 'street', r), code(t, 'address1', r)) },
    { name: 'dob + locality', uses: ['date_of_birth', 'address'], key: (t, r) => pair(t.dob.data[r], code(t, 'locality', r)) },
    {
      // Names swapped between the fields keep the same two initials.
      name: 'dob + both initials (either order)',
      uses: ['date_of_birth', 'given_name', 'family_name'],
      key: (t, r) => {
        const g = initial(value(t, 'given', r));
        const f = initial(value(t, 'family', r));
        return g < 0 || f < 0 ? null : pair(t.dob.data[r], Math.min(g, f) * 256 + Math.max(g, f));
      },
    },
    {
      // A transposition of two digits keeps the multiset of characters.
      name: 'national id characters (sorted)',
      uses: ['national_id'],
      key: (t, r) => {
        const c = code(t, 'nationalId', r);
        return c < 0 ? null : sharedIds(t, 'sorted national id').of(t.cols[COL.nationalId], c, 'n', (v) => [...v].sort().join(''));
      },
    },
    { name: 'email user name', uses: ['email'], key: (t, r) => nullIfNeg(code(t, 'emailUser', r)) },
    // Loose rules, capped small: they matter on small or typo-heavy files and stay cheap on large ones.
    { name: 'dob', uses: ['date_of_birth'], key: (t, r) => nullIfNeg(t.dob.data[r]), maxBlockSize: LOOSE },
    { name: 'family name', uses: ['family_name'], key: (t, r) => nullIfNeg(code(t, 'family', r)), maxBlockSize: LOOSE },
    { name: 'given name (nickname key)', uses: ['given_name'], key: (t, r) => nullIfNeg(code(t, 'givenCanon', r)), maxBlockSize: LOOSE },
    {
      name: 'initials (either order) + birth year',
      uses: ['given_name', 'family_name', 'date_of_birth'],
      key: (t, r) => {
        const g = initial(value(t, 'given', r));
        const f = initial(value(t, 'family', r));
        const d = t.dob.data[r];
        return g < 0 || f < 0 || d < 0 ? null : pair((d / 10000) | 0, Math.min(g, f) * 256 + Math.max(g, f));
      },
      maxBlockSize: LOOSE,
    },
  ];
}

/**
 * Integer ids for derived strings (a phonetic code from either name column, a national id's sorted characters),
 * cached per column code so that a key costs no string work after the first row holding a value.
 */
class SharedIds {
  private readonly ids = new Map<string, number>();
  private readonly byColumn = new Map<string, number[]>();
  of(column: { values: string[] }, code: number, tag: string, derive: (v: string) => string = (v) => v): number {
    let cache = this.byColumn.get(tag);
    if (!cache) this.byColumn.set(tag, (cache = []));
    let id = code < cache.length ? cache[code] : -1;
    if (id < 0) {
      const key = derive(column.values[code]);
      id = this.ids.get(key) ?? this.ids.size;
      this.ids.set(key, id);
      while (cache.length <= code) cache.push(-1);
      cache[code] = id;
    }
    return id;
  }
}

const sharedIdCache = new WeakMap<PersonTable, Map<string, SharedIds>>();
function sharedIds(t: PersonTable, name: string): SharedIds {
  let perTable = sharedIdCache.get(t);
  if (!perTable) sharedIdCache.set(t, (perTable = new Map()));
  let ids = perTable.get(name);
  if (!ids) perTable.set(name, (ids = new SharedIds()));
  return ids;
}

function nullIfNeg(x: number): number | null {
  return x < 0 ? null : x;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** murmur3's finaliser over both halves of the double: the low bits of the result are well mixed. */
function hashDouble(key: number): number {
  f64[0] = key;
  let h = u32[0] ^ Math.imul(u32[1], 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Dense ids for block keys. Numeric keys (the default rules' only kind) go to an open-addressing table on a
 * Float64Array: a JS Map would box every key above 2^30 and a million-row build would spend its time in GC.
 */
class KeyInterner {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(-1);
  private numeric = 0;
  private readonly strings = new Map<string, number>();
  get size(): number {
    return this.numeric + this.strings.size;
  }
  id(key: string | number): number {
    if (typeof key === 'string') {
      let id = this.strings.get(key);
      if (id === undefined) this.strings.set(key, (id = this.size));
      return id;
    }
    const mask = this.slots.length - 1;
    let h = hashDouble(key);
    for (;;) {
      const slot = h & mask;
      const id = this.slots[slot];
      if (id < 0) {
        const fresh = this.size;
        this.slots[slot] = fresh;
        this.keys[slot] = key;
        this.numeric++;
        if (this.numeric * 2 > this.slots.length) this.grow();
        return fresh;
      }
      if (this.keys[slot] === key) return id;
      h = (h + 1) >>> 0;
    }
  }
  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.slots = new Int32Array(oldSlots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let s = 0; s < oldSlots.length; s++) {
      if (oldSlots[s] < 0) continue;
      let h = hashDouble(oldKeys[s]);
      while (this.slots[h & mask] >= 0) h = (h + 1) >>> 0;
      this.slots[h & mask] = oldSlots[s];
      this.keys[h & mask] = oldKeys[s];
    }
  }
}

/**
 * Block membership for every rule. Built once for a full run (counting sort into CSR arrays); records added
 * later go to per-block overflow lists, so an incremental batch finds its candidates without a rebuild.
 */
export class BlockIndex {
  private readonly interners: KeyInterner[];
  /** Per rule: block id of each row, -1 = no key. */
  readonly blockOf: IntVec[];
  private offsets: Int32Array[] = [];
  private members: Int32Array[] = [];
  private readonly extra: Map<number, number[]>[];
  private readonly blockSize: number[][];
  private readonly blockExample: (string | number)[][];

  constructor(
    readonly rules: BlockingRule[],
    readonly options: BlockingOptions,
  ) {
    if (rules.length > 255) throw new Error('at most 255 blocking rules');
    this.interners = rules.map(() => new KeyInterner());
    this.blockOf = rules.map(() => new IntVec(1024));
    this.extra = rules.map(() => new Map());
    this.blockSize = rules.map(() => []);
    this.blockExample = rules.map(() => []);
  }

  private blockId(rule: number, key: string | number | null): number {
    if (key === null) return -1;
    const interner = this.interners[rule];
    const before = interner.size;
    const id = interner.id(key);
    if (id === before) {
      this.blockSize[rule].push(0);
      this.blockExample[rule].push(key);
    }
    return id;
  }

  /** Index rows 0..t.size-1 from scratch. */
  static build(t: PersonTable, rules: BlockingRule[], options: BlockingOptions): BlockIndex {
    const index = new BlockIndex(rules, options);
    const n = t.size;
    for (let r = 0; r < rules.length; r++) {
      const of = index.blockOf[r];
      const sizes = index.blockSize[r];
      for (let row = 0; row < n; row++) {
        const id = index.blockId(r, rules[r].key(t, row));
        of.push(id);
        if (id >= 0) sizes[id]++;
      }
      const nb = sizes.length;
      const offsets = new Int32Array(nb + 1);
      for (let b = 0; b < nb; b++) offsets[b + 1] = offsets[b] + sizes[b];
      const fill = offsets.slice(0, nb);
      const members = new Int32Array(offsets[nb]);
      const data = of.data;
      for (let row = 0; row < n; row++) {
        const id = data[row];
        if (id >= 0) members[fill[id]++] = row;
      }
      index.offsets[r] = offsets;
      index.members[r] = members;
    }
    return index;
  }

  /** Index a row appended to (or overwritten in) the table after build. */
  update(t: PersonTable, row: number): void {
    for (let r = 0; r < this.rules.length; r++) {
      const id = this.blockId(r, this.rules[r].key(t, row));
      const of = this.blockOf[r];
      if (row < of.length) {
        const old = of.data[row];
        if (old === id) continue;
        if (old >= 0) this.blockSize[r][old]--;
        of.data[row] = id;
      } else {
        while (of.length < row) of.push(-1);
        of.push(id);
      }
      if (id < 0) continue;
      this.blockSize[r][id]++;
      let list = this.extra[r].get(id);
      if (!list) this.extra[r].set(id, (list = []));
      list.push(row);
    }
  }

  /** Current members of a block (rows whose block changed since are filtered out). */
  forEachMember(rule: number, block: number, fn: (row: number) => void): void {
    const of = this.blockOf[rule].data;
    const offsets = this.offsets[rule];
    if (offsets && block + 1 < offsets.length) {
      const members = this.members[rule];
      for (let k = offsets[block]; k < offsets[block + 1]; k++) {
        const row = members[k];
        if (of[row] === block) fn(row);
      }
    }
    const list = this.extra[rule].get(block);
    if (list) for (const row of list) if (of[row] === block) fn(row);
  }

  isOversized(rule: number, block: number): boolean {
    return this.blockSize[rule][block] > (this.rules[rule].maxBlockSize ?? this.options.maxBlockSize);
  }

  /** Whether an earlier rule already puts rows x and y in one (not oversized) block: the pair was produced there. */
  coveredBefore(rule: number, x: number, y: number): boolean {
    for (let r = 0; r < rule; r++) {
      const of = this.blockOf[r].data;
      const bx = of[x];
      if (bx >= 0 && bx === of[y] && !this.isOversized(r, bx)) return true;
    }
    return false;
  }

  private excluded(t: PersonTable, x: number, y: number): boolean {
    const unique = this.options.uniqueSource;
    if (!unique) return false;
    const sx = t.source.data[x];
    return sx === t.source.data[y] && unique[sx] === 1;
  }

  /** Every candidate pair of the table, each once, tagged with the first rule producing it. */
  allPairs(t: PersonTable): CandidatePairs {
    const a = new IntVec(t.size * 4);
    const b = new IntVec(t.size * 4);
    const ruleVec = new IntVec(t.size * 4);
    const perRule: Record<string, number> = {};
    const skippedBlocks: SkippedBlock[] = [];
    const ofs = this.rules.map((_, r) => this.blockOf[r].data);
    const fits = this.rules.map((rule, r) => {
      const cap = rule.maxBlockSize ?? this.options.maxBlockSize;
      return Uint8Array.from(this.blockSize[r], (size) => (size <= cap ? 1 : 0));
    });
    const src = t.source.data;
    const unique = this.options.uniqueSource;
    for (let r = 0; r < this.rules.length; r++) {
      let count = 0;
      const offsets = this.offsets[r];
      const members = this.members[r];
      const nb = offsets.length - 1;
      const skipped: SkippedBlock = { rule: this.rules[r].name, blocks: 0, records: 0, largest: 0, example: '' };
      for (let block = 0; block < nb; block++) {
        const start = offsets[block];
        const end = offsets[block + 1];
        if (end - start < 2) continue;
        if (this.isOversized(r, block)) {
          skipped.blocks++;
          skipped.records += end - start;
          if (end - start > skipped.largest) {
            skipped.largest = end - start;
            skipped.example = String(this.blockExample[r][block]);
          }
          continue;
        }
        for (let p = start; p < end; p++) {
          const x = members[p];
          const sx = src[x];
          const uniqueX = unique !== undefined && unique[sx] === 1;
          pairs: for (let q = p + 1; q < end; q++) {
            const y = members[q];
            if (uniqueX && src[y] === sx) continue;
            // Produced by an earlier rule already? (coveredBefore, inlined: this loop runs for every pair)
            for (let e = 0; e < r; e++) {
              const of = ofs[e];
              const bx = of[x];
              if (bx >= 0 && bx === of[y] && fits[e][bx] === 1) continue pairs;
            }
            a.push(x);
            b.push(y);
            ruleVec.push(r);
            count++;
          }
        }
      }
      perRule[this.rules[r].name] = count;
      if (skipped.blocks) skippedBlocks.push(skipped);
    }
    return { a: a.toArray(), b: b.toArray(), rule: Uint8Array.from(ruleVec.toArray()), perRule, skippedBlocks };
  }

  /**
   * Candidate pairs among `rows` only (an incremental batch and the clusters it touches): each pair once, with
   * the same first-rule attribution as allPairs.
   */
  pairsAmong(t: PersonTable, rows: Int32Array, marker: Uint8Array): CandidatePairs {
    const a = new IntVec(rows.length * 4);
    const b = new IntVec(rows.length * 4);
    const ruleVec = new IntVec(rows.length * 4);
    const perRule: Record<string, number> = {};
    const skipped: SkippedBlock[] = [];
    for (const row of rows) marker[row] = 1;
    for (let r = 0; r < this.rules.length; r++) {
      let count = 0;
      const of = this.blockOf[r].data;
      for (const x of rows) {
        const block = of[x];
        if (block < 0) continue;
        if (this.isOversized(r, block)) continue;
        this.forEachMember(r, block, (y) => {
          if (y <= x || marker[y] !== 1) return;
          if (this.excluded(t, x, y) || this.coveredBefore(r, x, y)) return;
          a.push(x);
          b.push(y);
          ruleVec.push(r);
          count++;
        });
      }
      perRule[this.rules[r].name] = count;
    }
    for (const row of rows) marker[row] = 0;
    return { a: a.toArray(), b: b.toArray(), rule: Uint8Array.from(ruleVec.toArray()), perRule, skippedBlocks: skipped };
  }

  /** Bit r set when rule r puts rows x and y in one (not oversized) block. At most 32 rules are tracked. */
  ruleMask(x: number, y: number): number {
    let mask = 0;
    const n = Math.min(this.rules.length, 32);
    for (let r = 0; r < n; r++) {
      const of = this.blockOf[r].data;
      const bx = of[x];
      if (bx >= 0 && bx === of[y] && !this.isOversized(r, bx)) mask |= 1 << r;
    }
    return mask;
  }

  /** Rows sharing a (not oversized) block with `row` under any rule. */
  candidatesOf(row: number, into: Set<number>): void {
    for (let r = 0; r < this.rules.length; r++) {
      const block = this.blockOf[r].data[row];
      if (block < 0 || this.isOversized(r, block)) continue;
      this.forEachMember(r, block, (y) => {
        if (y !== row) into.add(y);
      });
    }
  }
}

/** Share of true pairs (same truth label) that some rule puts in the candidate set. */
export function blockingRecall(pairs: CandidatePairs, truth: (row: number) => string | null, rows: number, excluded?: (x: number, y: number) => boolean): { truePairs: number; found: number; recall: number } {
  const groups = new Map<string, number[]>();
  for (let r = 0; r < rows; r++) {
    const label = truth(r);
    if (label === null) continue;
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(r);
  }
  let truePairs = 0;
  for (const g of groups.values()) {
    for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) if (!excluded?.(g[i], g[j])) truePairs++;
  }
  let found = 0;
  for (let p = 0; p < pairs.a.length; p++) {
    const la = truth(pairs.a[p]);
    if (la !== null && la === truth(pairs.b[p])) found++;
  }
  return { truePairs, found, recall: truePairs ? found / truePairs : 1 };
}
