/**
 * Seeded simulation of the BG/NBD and Gamma-Gamma generative processes, for parameter-recovery
 * tests and the benchmark. Purchases are simulated in continuous time and then put on a day grid
 * as a real event log would be; a repeat purchase falling on the same day as the previous one is
 * dropped (at weekly rates below one it is rare, and keeping each value a single Gamma draw keeps
 * the Gamma-Gamma truth exact).
 */
import type { BgNbdParams } from './bgnbd.js';
import type { GammaGammaParams } from './gammaGamma.js';

/** xoshiro128** (Blackman & Vigna): fast, seedable, 2^128 − 1 period; floats with 32-bit resolution. */
export function xoshiro128(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = 0x12345678 ^ Math.imul(seed, 0x85ebca6b);
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function normal(u: () => number): number {
  // Box-Muller; 1 − u() keeps the log argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the U^(1/shape) boost for shape < 1. */
export function gammaVariate(u: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(u, shape + 1, rate) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = 1 - u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

export interface SimulationOptions {
  customers: number;
  seed: number;
  /** Days per model period (7 for weeks). */
  daysPerPeriod: number;
  /** First purchases are spread uniformly over this many days from the cohort start ... */
  cohortDays: number;
  /** ... and observed until this many days after the cohort start. */
  calibrationDays: number;
}

export interface SimulatedCustomers {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
}

export function simulateBgNbdGammaGamma(purchase: BgNbdParams, spend: GammaGammaParams, o: SimulationOptions): SimulatedCustomers {
  const u = xoshiro128(o.seed);
  const n = o.customers;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const dpp = o.daysPerPeriod;
  for (let i = 0; i < n; i++) {
    const birth = Math.floor(u() * o.cohortDays);
    const Tdays = o.calibrationDays - birth;
    const lambda = gammaVariate(u, purchase.r, purchase.alpha);
    const g1 = gammaVariate(u, purchase.a, 1);
    const p = g1 / (g1 + gammaVariate(u, purchase.b, 1));
    const nu = gammaVariate(u, spend.q, spend.gamma);
    let t = 0;
    let lastDay = 0;
    let count = 0;
    let total = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      const day = Math.floor(t * dpp);
      if (day > Tdays) break;
      if (day !== lastDay) {
        count++;
        lastDay = day;
        total += gammaVariate(u, spend.p, nu);
      }
      // FHL (2005) assumption iii: after each (repeat) purchase the customer drops out with probability p.
      if (u() < p) break;
    }
    x[i] = count;
    tx[i] = count ? lastDay / dpp : 0;
    T[i] = Tdays / dpp;
    monetary[i] = count ? total / count : 0;
  }
  return { x, tx, T, monetary };
}
