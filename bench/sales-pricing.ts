/**
 * Pricing a configured quote of 50 lines (target: p95 <= 100 ms).
 *   1. pure: configuration checks + pricing engine + delivery plan, in process, no I/O;
 *   2. http: POST /api/v1/sales/price through the whole stack (auth, zod, catalogue, price list, rules,
 *      offers and backlog from the database, plan, response encoding) on PGlite;
 *   3. baseline: a bare Fastify handler returning the precomputed answer, measured in the same run.
 * HTTP latencies are measured one request at a time (no queueing).
 *   npx tsx bench/sales-pricing.ts [--lines=50] [--iterations=2000] [--requests=300]
 */
import os from 'node:os';
import Fastify from 'fastify';
import { migrate, openDatabase } from '../src/core/db/engine.js';
import { buildServer } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { DEFAULT_TENANT } from '../src/core/ids.js';
import { seedSalesDemo } from '../src/modules/sales/demo.js';
import { componentsOf, validateConfiguration } from '../src/modules/sales/catalogue/configuration.js';
import { priceQuote } from '../src/modules/sales/pricing/engine.js';
import { planDelivery } from '../src/modules/sales/fulfilment/planning.js';
import { customCable, pumpStation, commissioning } from '../src/modules/sales/fixtures.js';
import { arg, peakRssMiB, percentile, pick, prng, round } from './lib.js';

const LINES = arg('lines', 50);
const loadBefore = os.loadavg()[0];
const ITERATIONS = arg('iterations', 2000);
const REQUESTS = arg('requests', 300);

const rand = prng(11);
const GAUGES = ['10', '12', '14'];
const lines = Array.from({ length: LINES }, (_, i) => {
  if (i % 10 === 9) return { product: 'COMMISSIONING', quantity: 1 + (i % 3) };
  if (i % 5 === 4) {
    return {
      product: 'PUMP-STATION',
      quantity: 1,
      configuration: { motor: pick(rand, ['5', '11', '22']), pumps: pick(rand, ['single', 'duty-standby']), control: pick(rand, ['vfd', 'scada']), frame: pick(rand, ['galv', 'ss316']), cableLength: 5 * (1 + Math.floor(rand() * 20)) },
      manualDiscountPercent: i % 7 === 0 ? 5 : undefined,
    };
  }
  const gauge = pick(rand, GAUGES);
  return {
    product: 'CAB-CUSTOM',
    quantity: 1 + Math.floor(rand() * 200),
    configuration: {
      length: (2 + Math.floor(rand() * 300)) / 2,
      gauge,
      jacket: pick(rand, ['PVC', 'LSZH', 'PUR']),
      connectorA: pick(rand, gauge === '10' ? ['none', 'N', 'AND'] : ['none', 'N', 'M12', 'AND']),
      connectorB: pick(rand, ['none', 'N', 'AND']),
      extras: rand() < 0.3 ? ['testcert'] : [],
    },
  };
});

const db = await openDatabase({ dataDir: 'memory://' });
await migrate(db);
const app = await buildServer({ db, rateLimitPerMinute: 100_000_000 });
const demo = await seedSalesDemo(app.services, { withOrder: true });
const admin = app.services.sales;
const actor = systemActor(DEFAULT_TENANT);

// --- 1. the pure engine, on the same inputs the service loads ------------------------------------
const byCode = new Map([customCable, pumpStation, commissioning].map((p) => [p.code, p]));
const list = await admin.pricing.resolvePriceList(actor, { divisionId: demo.divisionId, at: admin.context.today() });
const inputs = await admin.pricing.pricingInputs(DEFAULT_TENANT, list);
const allComponents = [...new Set([customCable, pumpStation].flatMap((p) => p.definition.components.map((c) => c.component)))];
const offers = await admin.fulfilment.offersFor(DEFAULT_TENANT, allComponents);
const today = admin.context.today();

function pricePure() {
  const configured = lines.map((l, i) => {
    const product = byCode.get(l.product)!;
    const r = validateConfiguration(product.definition, l.configuration ?? {});
    if (!r.ok) throw new Error(`line ${i}: ${JSON.stringify(r.violations)}`);
    return { product, configuration: r.configuration, quantity: l.quantity, manual: l.manualDiscountPercent };
  });
  const priced = priceQuote({
    at: today,
    priceList: inputs.priceList,
    rules: inputs.rules,
    customer: { tier: 'top5', profitability: 120_000 },
    lines: configured.map((c, i) => ({ lineNo: i + 1, product: c.product.code, configuration: c.configuration, quantity: c.quantity, manualDiscountPercent: c.manual })),
  });
  const plan = planDelivery({
    start: today,
    lines: configured.map((c, i) => ({ lineNo: i + 1, assemblyDays: c.product.definition.assemblyDays })),
    demands: configured.flatMap((c, i) => componentsOf(c.product.definition, c.configuration, c.quantity).map((d) => ({ lineNo: i + 1, ...d }))),
    offers,
    shippingDays: 2,
  });
  return { net: priced.totals.net, date: plan.deliveryDate };
}

for (let i = 0; i < 200; i++) pricePure();
const pureTimes: number[] = [];
let check = pricePure();
for (let i = 0; i < ITERATIONS; i++) {
  const t0 = performance.now();
  check = pricePure();
  pureTimes.push(performance.now() - t0);
}
pureTimes.sort((a, b) => a - b);

// --- 2. through the API ---------------------------------------------------------------------------
const user = await app.services.access.createUser(DEFAULT_TENANT, { email: 'bench@example.org', displayName: 'Bench', role: 'admin' });
const key = await app.services.access.createApiKey(actor, user.id, 'bench');
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' };
const body = JSON.stringify({ divisionId: demo.divisionId, customerId: demo.customerId, lines });

/** Latency one request at a time, and this process's CPU per request (client and server share it): CPU time is what a busy machine does not inflate. */
async function serial(target: string, init: RequestInit, count: number) {
  const times: number[] = [];
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < count; k++) {
    const t0 = performance.now();
    const res = await fetch(target, init);
    const buf = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.status} ${Buffer.from(buf).toString().slice(0, 500)}`);
    times.push(performance.now() - t0);
    bytes = buf.byteLength;
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times.at(-1)!), cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / count), responseBytes: bytes };
}

const first = await fetch(`${url}/api/v1/sales/price`, { method: 'POST', headers, body });
const precomputed = await first.text();
if (!first.ok) throw new Error(precomputed);
const answer = JSON.parse(precomputed) as { lines: unknown[]; totals: { net: number }; delivery: { date: string; routes: { fulfiller: string }[] } };
await serial(`${url}/api/v1/sales/price`, { method: 'POST', headers, body }, 20);
const http = await serial(`${url}/api/v1/sales/price`, { method: 'POST', headers, body }, REQUESTS);

// --- 3. the bare baseline: same request body, precomputed answer ---------------------------------
const bare = Fastify();
bare.post('/price', async (_req, reply) => reply.type('application/json').send(precomputed));
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
await serial(`${bareUrl}/price`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, 20);
const baseline = await serial(`${bareUrl}/price`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, REQUESTS);

console.log(
  JSON.stringify(
    {
      benchmark: 'sales-pricing',
      engine: db.engine,
      lines: LINES,
      pricedLines: answer.lines.length,
      quote: { net: answer.totals.net, deliveryDate: answer.delivery.date, fulfillers: [...new Set(answer.delivery.routes.map((r) => r.fulfiller))].sort(), pureCheck: check },
      targetP95Ms: 100,
      latencyMs: {
        pure: { iterations: ITERATIONS, p50: round(percentile(pureTimes, 50), 3), p95: round(percentile(pureTimes, 95), 3), max: round(pureTimes.at(-1)!, 3) },
        http: { requests: REQUESTS, ...http },
        bareBaseline: { requests: REQUESTS, ...baseline },
      },
      httpOverBareP95Ms: round(http.p95 - baseline.p95),
      meetsTarget: http.p95 <= 100 && percentile(pureTimes, 95) <= 100,
      peakRssMiB: peakRssMiB(),
      // Other work on the machine inflates wall-clock latencies; read them with the load and the CPU per request.
      cpus: os.cpus().length,
      loadAverage1m: { before: round(loadBefore), after: round(os.loadavg()[0]) },
    },
    null,
    2,
  ),
);
await app.close();
await bare.close();
await db.close();
