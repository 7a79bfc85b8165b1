/**
 * A seeded generator (mulberry32): 32 bits of state, fast, and good enough for synthetic data. Every draw the demo
 * makes goes through one of these, so a seed fixes every row.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [value, w] of table) {
      x -= w;
      if (x < 0) return value;
    }
    return table[table.length - 1][0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median: money is skewed, a few very large values and many small ones. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count (Knuth for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** An independent stream derived from this seed and a label, so adding draws in one place never shifts another. */
  static derive(seed: number, label: number): Random {
    return new Random(mix32(seed, label));
  }
}

/** A 32-bit hash of two integers (murmur3 finaliser): stable ids and independent streams without shared state. */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A UUID in version-7 layout whose "timestamp" is a per-table counter: deterministic for a seed, unique within
 * the load, and increasing, so bulk inserts append to the right edge of each B-tree like real v7 ids do.
 */
export function demoUuid(seed: number, table: number, counter: number): string {
  const ms = DEMO_ID_EPOCH + counter;
  const high = Math.floor(ms / 0x10000);
  const low = ms % 0x10000;
  const r1 = mix32(mix32(seed, table), counter);
  const r2 = mix32(r1, 0x5bd1e995);
  const r3 = mix32(r2, counter ^ 0x27d4eb2f);
  return `${hex(high, 8)}-${hex(low, 4)}-7${hex(r1 & 0xfff, 3)}-${hex(0x8000 | (r2 & 0x3fff), 4)}-${hex(r2 >>> 16, 4)}${hex(r3, 8)}`;
}

// 2020-01-01: ids sort before anything created live, whatever the day the demo is loaded.
const DEMO_ID_EPOCH = Date.UTC(2020, 0, 1);
