import { probabilityOf } from './score.js';

export interface ClusterEdges {
  a: Int32Array;
  b: Int32Array;
  /** Match weight (bits, prior included); Infinity for deterministic links. */
  weight: Float64Array;
}

export interface ClusterOptions {
  /** Table size: rows are 0..n-1. */
  n: number;
  /** Rows to cluster (an incremental batch and the clusters it touches); default all rows. */
  rows?: Int32Array;
  edges: ClusterEdges;
  /** Groups of rows that start as one cluster (an incremental run's existing clusters). */
  preset?: number[][];
  /** Manual decisions, as row pairs: always win. */
  mustLink?: [number, number][];
  cannotLink?: [number, number][];
  /** Source code per row and the codes whose sources hold at most one record per person. */
  sourceOf?: Int32Array;
  uniqueSource?: Uint8Array;
  /** Edges at or above this weight link automatically. */
  upperWeight: number;
  /** Edges between lower and upper go to review. */
  lowerWeight: number;
  /**
   * Cluster-coherence check before two multi-record clusters (or a record and a cluster) merge: the mean match
   * probability over the pairs across them must reach `minCoherence`, so one strong edge cannot chain two
   * people who otherwise disagree.
   */
  pairWeight?: (i: number, j: number) => number;
  minCoherence: number;
  maxCrossPairs: number;
}

export type MergeReason = 'manual' | 'deterministic' | 'probabilistic';
export type RefusalReason = 'cannot-link' | 'unique-source' | 'incoherent';

export interface ClusterResult {
  /** Cluster representative (a row) per row; -1 for rows outside `rows`. */
  clusterOf: Int32Array;
  /** Edges (indexes into `edges`) that merged two clusters, with why. */
  merged: { edge: number; reason: MergeReason }[];
  manualMerges: [number, number][];
  /** Auto-link edges that were refused. */
  refused: { edge: number; reason: RefusalReason }[];
  /** The best review edge per pair of clusters (edge indexes). */
  review: number[];
}

/**
 * Greedy best-edge clustering: edges in descending weight, each merging two clusters unless a manual
 * cannot-link, a unique-per-person source, or the coherence check forbids it. The result is what connected
 * components would give on the strong edges, minus the chains.
 */
export function clusterRecords(opts: ClusterOptions): ClusterResult {
  const { n, edges } = opts;
  const parent = new Int32Array(n).fill(-1);
  const members: (number[] | undefined)[] = new Array(n);
  const rows = opts.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  for (const r of rows) {
    parent[r] = r;
    members[r] = [r];
  }
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const union = (ra: number, rb: number): number => {
    const ma = members[ra]!;
    const mb = members[rb]!;
    const [big, small, bigRoot, smallRoot] = ma.length >= mb.length ? [ma, mb, ra, rb] : [mb, ma, rb, ra];
    for (const x of small) big.push(x);
    members[smallRoot] = undefined;
    parent[smallRoot] = bigRoot;
    return bigRoot;
  };

  const cannot = new Map<number, number[]>();
  for (const [x, y] of opts.cannotLink ?? []) {
    if (parent[x] < 0 || parent[y] < 0) continue;
    (cannot.get(x) ?? cannot.set(x, []).get(x)!).push(y);
    (cannot.get(y) ?? cannot.set(y, []).get(y)!).push(x);
  }
  const conflictsManual = (ra: number, rb: number) => {
    if (cannot.size === 0) return false;
    const [small, other] = members[ra]!.length <= members[rb]!.length ? [ra, rb] : [rb, ra];
    for (const x of members[small]!) {
      const list = cannot.get(x);
      if (list) for (const y of list) if (find(y) === other) return true;
    }
    return false;
  };
  const unique = opts.uniqueSource;
  const src = opts.sourceOf;
  const conflictsUnique = (ra: number, rb: number) => {
    if (!unique || !src) return false;
    const ma = members[ra]!;
    const mb = members[rb]!;
    for (const x of ma) {
      const s = src[x];
      if (unique[s] !== 1) continue;
      for (const y of mb) if (src[y] === s) return true;
    }
    return false;
  };
  const coherent = (ra: number, rb: number) => {
    const ma = members[ra]!;
    const mb = members[rb]!;
    if (!opts.pairWeight || ma.length * mb.length <= 1) return true;
    const stepA = Math.max(1, Math.ceil(ma.length / Math.sqrt(opts.maxCrossPairs)));
    const stepB = Math.max(1, Math.ceil(mb.length / Math.sqrt(opts.maxCrossPairs)));
    let sum = 0;
    let count = 0;
    for (let x = 0; x < ma.length; x += stepA) {
      for (let y = 0; y < mb.length; y += stepB) {
        sum += probabilityOf(opts.pairWeight(ma[x], mb[y]));
        count++;
      }
    }
    return sum / count >= opts.minCoherence;
  };

  for (const group of opts.preset ?? []) {
    for (let k = 1; k < group.length; k++) {
      const ra = find(group[0]);
      const rb = find(group[k]);
      if (ra !== rb) union(ra, rb);
    }
  }

  const manualMerges: [number, number][] = [];
  for (const [x, y] of opts.mustLink ?? []) {
    if (parent[x] < 0 || parent[y] < 0) continue;
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) {
      union(rx, ry);
      manualMerges.push([x, y]);
    }
  }

  // Edges worth looking at, strongest first (deterministic links carry weight Infinity).
  const candidates: number[] = [];
  for (let e = 0; e < edges.a.length; e++) {
    if (edges.weight[e] >= opts.lowerWeight && parent[edges.a[e]] >= 0 && parent[edges.b[e]] >= 0) candidates.push(e);
  }
  const order = Uint32Array.from(candidates);
  const w = edges.weight;
  order.sort((x, y) => (w[y] - w[x]) || (edges.a[x] - edges.a[y]) || (edges.b[x] - edges.b[y]) || 0);

  const merged: { edge: number; reason: MergeReason }[] = [];
  const refused: { edge: number; reason: RefusalReason }[] = [];
  const reviewCandidates: number[] = [];
  for (const e of order) {
    const weight = w[e];
    if (weight < opts.upperWeight) {
      reviewCandidates.push(e);
      continue;
    }
    const ra = find(edges.a[e]);
    const rb = find(edges.b[e]);
    if (ra === rb) continue;
    const deterministic = weight === Infinity;
    let reason: RefusalReason | null = null;
    if (conflictsManual(ra, rb)) reason = 'cannot-link';
    else if (conflictsUnique(ra, rb)) reason = 'unique-source';
    else if (!deterministic && !coherent(ra, rb)) reason = 'incoherent';
    if (reason) {
      refused.push({ edge: e, reason });
      if (reason !== 'cannot-link') reviewCandidates.push(e);
      continue;
    }
    union(ra, rb);
    merged.push({ edge: e, reason: deterministic ? 'deterministic' : 'probabilistic' });
  }

  const clusterOf = new Int32Array(n).fill(-1);
  for (const r of rows) clusterOf[r] = find(r);

  // Review: the best undecided edge per pair of clusters (a human decides clusters, not every pair).
  const seen = new Set<string>();
  const review: number[] = [];
  reviewCandidates.sort((x, y) => (w[y] - w[x]) || x - y);
  for (const e of reviewCandidates) {
    const ca = clusterOf[edges.a[e]];
    const cb = clusterOf[edges.b[e]];
    if (ca === cb) continue;
    const key = ca < cb ? `${ca}:${cb}` : `${cb}:${ca}`;
    if (seen.has(key)) continue;
    if (conflictsManual(ca, cb)) continue;
    seen.add(key);
    review.push(e);
  }
  return { clusterOf, merged, manualMerges, refused, review };
}

/**
 * Stable cluster ids: a cluster keeps the previous id held by most of its records, each previous id going to
 * at most one cluster (the one holding most of its records); clusters with none get a fresh id.
 */
export function assignClusterIds(clusters: string[][], previous: ReadonlyMap<string, string> | undefined, newId: () => string): string[] {
  const ids = new Array<string | undefined>(clusters.length);
  if (previous && previous.size) {
    const votes: { cluster: number; id: string; count: number }[] = [];
    clusters.forEach((records, cluster) => {
      const counts = new Map<string, number>();
      for (const r of records) {
        const id = previous.get(r);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const [id, count] of counts) votes.push({ cluster, id, count });
    });
    votes.sort((x, y) => y.count - x.count || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0) || x.cluster - y.cluster);
    const taken = new Set<string>();
    for (const v of votes) {
      if (ids[v.cluster] !== undefined || taken.has(v.id)) continue;
      ids[v.cluster] = v.id;
      taken.add(v.id);
    }
  }
  return Array.from(ids, (id) => id ?? newId());
}
