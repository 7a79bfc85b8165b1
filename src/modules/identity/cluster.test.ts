import { describe, expect, it } from 'vitest';
import { assignClusterIds, clusterRecords, type ClusterOptions } from './cluster.js';

/** Edges as [a, b, weight]; pair weights default to the edge weight, or -20 (clearly different) when no edge. */
function run(n: number, edges: [number, number, number][], extra: Partial<ClusterOptions> = {}) {
  const weightOf = new Map(edges.map(([a, b, w]) => [`${Math.min(a, b)}-${Math.max(a, b)}`, w]));
  const result = clusterRecords({
    n,
    edges: { a: Int32Array.from(edges, (e) => e[0]), b: Int32Array.from(edges, (e) => e[1]), weight: Float64Array.from(edges, (e) => e[2]) },
    upperWeight: 3,
    lowerWeight: -1,
    pairWeight: (i, j) => weightOf.get(`${Math.min(i, j)}-${Math.max(i, j)}`) ?? -20,
    minCoherence: 0.3,
    maxCrossPairs: 64,
    ...extra,
  });
  const groups = new Map<number, number[]>();
  result.clusterOf.forEach((c, r) => (groups.get(c) ?? groups.set(c, []).get(c)!).push(r));
  return { result, clusters: [...groups.values()].map((g) => g.sort()).sort((x, y) => x[0] - y[0]) };
}

describe('clustering', () => {
  it('links strong edges transitively', () => {
    expect(run(4, [[0, 1, 10], [1, 2, 8], [0, 2, 6]]).clusters).toEqual([[0, 1, 2], [3]]);
  });

  it('does not chain two people through one weak edge between their clusters', () => {
    // {0,1} and {2,3} are two people; 1-2 clears the threshold but every other cross pair clearly differs.
    const { clusters, result } = run(4, [[0, 1, 20], [2, 3, 20], [1, 2, 4]]);
    expect(clusters).toEqual([[0, 1], [2, 3]]);
    expect(result.refused).toEqual([{ edge: 2, reason: 'incoherent' }]);
    expect(result.review).toEqual([2]);
  });

  it('sends edges between the thresholds to review, not to a link', () => {
    const { clusters, result } = run(3, [[0, 1, 2], [1, 2, -5]]);
    expect(clusters).toEqual([[0], [1], [2]]);
    expect(result.review).toEqual([0]);
  });

  it('holds at most one record of a unique-per-person source, keeping the best edge', () => {
    const sourceOf = Int32Array.from([0, 1, 1]);
    const uniqueSource = Uint8Array.from([1, 1]);
    const { clusters, result } = run(3, [[0, 1, 9], [0, 2, 12], [1, 2, 4]], { sourceOf, uniqueSource, pairWeight: () => 5 });
    expect(clusters).toEqual([[0, 2], [1]]);
    expect(result.refused.map((r) => r.reason)).toEqual(['unique-source', 'unique-source']);
    expect(result.review).toEqual([0]); // the best refused edge per pair of clusters
  });

  it('lets manual decisions win over the model', () => {
    const { clusters } = run(4, [[0, 1, 30], [2, 3, -10]], { mustLink: [[2, 3]], cannotLink: [[0, 1]] });
    expect(clusters).toEqual([[0], [1], [2, 3]]);
  });

  it('a cannot-link also stops a chain through a third record', () => {
    const { clusters } = run(3, [[0, 1, 30], [1, 2, 30], [0, 2, 30]], { cannotLink: [[0, 2]] });
    expect(clusters).toEqual([[0, 1], [2]]);
  });

  it('deterministic links (weight Infinity) skip the coherence check', () => {
    const { clusters, result } = run(3, [[0, 1, Infinity], [1, 2, Infinity]], { pairWeight: () => -30 });
    expect(clusters).toEqual([[0, 1, 2]]);
    expect(result.merged.map((m) => m.reason)).toEqual(['deterministic', 'deterministic']);
  });
});

describe('stable cluster ids', () => {
  let n = 0;
  const fresh = () => `new${n++}`;

  it('keeps the id held by most of a surviving cluster, and each old id goes to one cluster', () => {
    n = 0;
    const previous = new Map([['a', 'C1'], ['b', 'C1'], ['c', 'C1'], ['d', 'C2'], ['e', 'C2']]);
    // C1 splits into {a,b} and {c}; C2 merges with new record f
    const ids = assignClusterIds([['a', 'b'], ['c'], ['d', 'e', 'f'], ['g']], previous, fresh);
    expect(ids).toEqual(['C1', 'new0', 'C2', 'new1']);
  });

  it('a merge keeps the larger side id', () => {
    n = 0;
    const previous = new Map([['a', 'C1'], ['b', 'C2'], ['c', 'C2']]);
    expect(assignClusterIds([['a', 'b', 'c']], previous, fresh)).toEqual(['C2']);
  });
});
