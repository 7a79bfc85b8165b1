import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so the same content hashes the same whatever the column order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Two 32-bit halves of a 64-bit string hash (cyrb53's mixing, without folding to 53 bits). */
function hash64(s: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/**
 * The external ids seen so far in one file, with the line each was first seen on. Stores 64-bit hashes in typed
 * arrays (about 24 bytes per id) rather than the strings, so a file of millions of rows does not end up in memory.
 * Two different ids share a hash with probability about n²/2^65 (3e-6 for ten million ids).
 */
export class SeenKeys {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private lines: Uint32Array;
  private size = 0;

  constructor(capacity = 1 << 14) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
  }

  get count() {
    return this.size;
  }

  /** Records `key` as first seen on `line` (>= 1) and returns 0, or returns the line it was first seen on. */
  addOrGet(key: string, line: number): number {
    if ((this.size + 1) * 2 > this.lines.length) this.grow();
    const [a, b] = hash64(key);
    const mask = this.lines.length - 1;
    for (let i = b & mask; ; i = (i + 1) & mask) {
      if (this.lines[i] === 0) {
        this.hi[i] = a;
        this.lo[i] = b;
        this.lines[i] = line;
        this.size++;
        return 0;
      }
      if (this.hi[i] === a && this.lo[i] === b) return this.lines[i];
    }
  }

  private grow() {
    const { hi, lo, lines } = this;
    const capacity = lines.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let j = 0; j < lines.length; j++) {
      if (lines[j] === 0) continue;
      let i = lo[j] & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.hi[i] = hi[j];
      this.lo[i] = lo[j];
      this.lines[i] = lines[j];
    }
  }
}
