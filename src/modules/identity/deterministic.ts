import { areNicknames } from './nicknames.js';
import { IntVec, jaroWinkler, type PersonTable, type TextColumn } from './comparisons.js';
import { isPlaceholderDigits } from './normalise.js';

/**
 * A rule that links on a strong identifier alone, before any model is trained. Guard rails: placeholder values
 * never link, a value held by more than `maxShared` records never links (a branch's phone number, a shared
 * family email), and a pair whose given name and date of birth both clearly disagree is left to the model.
 */
export interface DeterministicRule {
  name: string;
  column: TextColumn;
  /** Also require the family names to agree and the given names to be compatible ("phone with name"). */
  requireName?: boolean;
}

export interface DeterministicOptions {
  maxShared: number;
  uniqueSource?: Uint8Array;
}

export interface DeterministicLinks {
  a: Int32Array;
  b: Int32Array;
  rule: Uint8Array;
  perRule: Record<string, number>;
  /** Values skipped because too many records share them, per rule. */
  sharedValuesSkipped: Record<string, number>;
}

export function defaultDeterministicRules(): DeterministicRule[] {
  return [
    { name: 'same national id', column: 'nationalId' },
    { name: 'same email', column: 'email' },
    { name: 'same phone and name', column: 'phone', requireName: true },
  ];
}

const PLACEHOLDER_EMAIL = /^(test|none|noemail|no|na|null|unknown)@|@(example\.(com|org|net)|test\.com|none\.com|noemail\.com)$/;

function isPlaceholder(column: TextColumn, value: string): boolean {
  if (column === 'email') return PLACEHOLDER_EMAIL.test(value);
  if (column === 'phone') return isPlaceholderDigits(value.replace(/^1(?=\d{10}$)/, '').slice(-10));
  if (column === 'nationalId') return /^\d+$/.test(value) ? isPlaceholderDigits(value) : /^(.)\1+$/.test(value);
  return false;
}

function givenCompatible(t: PersonTable, i: number, j: number): boolean | null {
  const a = t.value('given', i);
  const b = t.value('given', j);
  if (!a || !b) return null;
  const ca = t.value('givenCanon', i);
  const cb = t.value('givenCanon', j);
  return (ca !== null && cb !== null && areNicknames(ca, cb)) || jaroWinkler(a, b) >= 0.8 || a[0] === b[0];
}

function familyAgrees(t: PersonTable, i: number, j: number): boolean {
  const a = t.value('family', i);
  const b = t.value('family', j);
  return !!a && !!b && jaroWinkler(a, b) >= 0.9;
}

export function dobClearlyDiffers(t: PersonTable, i: number, j: number): boolean {
  const a = t.dob.data[i];
  const b = t.dob.data[j];
  if (a < 0 || b < 0 || a === b) return false;
  let diff = 0;
  const sa = String(a), sb = String(b);
  for (let k = 0; k < 8; k++) if (sa[k] !== sb[k]) diff++;
  const swapped = (a / 10000 | 0) === (b / 10000 | 0) && (a % 100) === ((b / 100 | 0) % 100) && ((a / 100 | 0) % 100) === (b % 100);
  return diff > 2 && !swapped;
}

/** Deterministic links among `rows` (default: every row). Sharing counts are always table-wide. */
export function deterministicLinks(t: PersonTable, rules: DeterministicRule[], opts: DeterministicOptions, rows?: Int32Array): DeterministicLinks {
  const a = new IntVec(1024);
  const b = new IntVec(1024);
  const ruleVec = new IntVec(1024);
  const perRule: Record<string, number> = {};
  const sharedValuesSkipped: Record<string, number> = {};
  const src = t.source.data;
  const unique = opts.uniqueSource;
  const seen = new Set<number>();
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const col = t.columns[rule.column];
    const groups = new Map<number, number[]>();
    const codes = col.codes.data;
    const n = rows ? rows.length : t.size;
    for (let k = 0; k < n; k++) {
      const row = rows ? rows[k] : k;
      const c = codes[row];
      if (c < 0 || col.counts[c] < 2) continue;
      let g = groups.get(c);
      if (!g) groups.set(c, (g = []));
      g.push(row);
    }
    let count = 0;
    let skipped = 0;
    for (const [c, members] of groups) {
      if (isPlaceholder(rule.column, col.values[c])) continue;
      if (col.counts[c] > opts.maxShared) {
        skipped++;
        continue;
      }
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const i = Math.min(members[x], members[y]);
          const j = Math.max(members[x], members[y]);
          if (unique && src[i] === src[j] && unique[src[i]] === 1) continue;
          const key = i * 4294967296 + j;
          if (seen.has(key)) continue;
          if (rule.requireName) {
            // A father and son share the home phone and often the name: the birth date tells them apart.
            if (!familyAgrees(t, i, j) || givenCompatible(t, i, j) === false || dobClearlyDiffers(t, i, j)) continue;
          } else if (givenCompatible(t, i, j) === false && dobClearlyDiffers(t, i, j)) {
            continue;
          }
          seen.add(key);
          a.push(i);
          b.push(j);
          ruleVec.push(r);
          count++;
        }
      }
    }
    perRule[rule.name] = count;
    sharedValuesSkipped[rule.name] = skipped;
  }
  return { a: a.toArray(), b: b.toArray(), rule: Uint8Array.from(ruleVec.toArray()), perRule, sharedValuesSkipped };
}
