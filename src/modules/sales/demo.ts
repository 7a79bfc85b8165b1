import { systemActor, type Actor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import type { CustomerService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import { addBusinessDays } from './fulfilment/calendar.js';
import type { OfferInput } from './fulfilment/service.js';
import { DEMO_PRODUCTS, demoPriceItems, demoPriceRules } from './fixtures.js';
import type { SalesService } from './service.js';

/**
 * The equipment maker of the demo: a division selling configurable pump stations and custom cable, made
 * from components that come from our own plant and two subcontractors; two pipelines with opportunities;
 * a quote a rep wrote while sitting with the customer; and an accepted order already routed to both
 * subcontractors, one of which has reported a slip, so the consolidated delivery date has moved.
 */
export interface SalesDemoOptions {
  tenantId?: string;
  divisionCode?: string;
  divisionName?: string;
  /** The golden customer the sample quote and order are for; by default an organisation is created. */
  customerId?: string;
  /** The rep who owns the opportunities and quotes (a user id); by default nobody. */
  ownerUserId?: string | null;
  /** Also accept a quote and report progress from a subcontractor (default true). */
  withOrder?: boolean;
}

const COMPONENTS: [string, string, string][] = [
  ...['6', '8', '10', '12', '14'].map((g): [string, string, string] => [`CU-${g}`, `Copper conductor ${g} AWG`, 'm']),
  ['JKT-PVC', 'PVC jacket extrusion', 'm'],
  ['JKT-LSZH', 'LSZH jacket extrusion', 'm'],
  ['JKT-PUR', 'PUR jacket extrusion', 'm'],
  ['ARM-SWA', 'Steel wire armouring', 'm'],
  ['ARM-BRAID', 'Steel braid armouring', 'm'],
  ['CONN-N', 'N-type connector', 'each'],
  ['CONN-M12', 'M12 circular connector', 'each'],
  ['CONN-AND', 'Anderson power pole', 'each'],
  ['MOTOR-5', '5.5 kW motor', 'each'],
  ['MOTOR-11', '11 kW motor', 'each'],
  ['MOTOR-22', '22 kW motor', 'each'],
  ['PUMP-HEAD', 'Centrifugal pump head', 'each'],
  ['PANEL-BASIC', 'Starter panel', 'each'],
  ['PANEL-VFD', 'Variable-speed drive panel', 'each'],
  ['TELEMETRY', 'Remote monitoring unit', 'each'],
  ['FRAME-GALV', 'Galvanised skid frame', 'each'],
  ['FRAME-SS316', 'Stainless 316 skid frame', 'each'],
];

const FULFILLERS = [
  { code: 'PLANT', name: 'Our plant (Springfield)', kind: 'own' as const },
  { code: 'NLX', name: 'Northline Extrusion', kind: 'subcontractor' as const, contactEmail: 'orders@northline.example' },
  { code: 'KCD', name: 'Keystone Connectors & Drives', kind: 'subcontractor' as const, contactEmail: 'sales@keystone.example' },
];

const offer = (fulfiller: string, component: string, leadTimeDays: number, unitCost: number, capacityPerDay: number | null = null, stockOnHand: number | null = null): OfferInput => ({
  fulfiller,
  component,
  leadTimeDays,
  unitCost,
  capacityPerDay,
  stockOnHand,
});

function demoOffers(): OfferInput[] {
  return [
    ...[['6', 2.1], ['8', 1.45], ['10', 0.92], ['12', 0.6], ['14', 0.4]].map(([g, cost]) => offer('PLANT', `CU-${g}`, 1, cost as number, null, 20_000)),
    offer('PLANT', 'JKT-PVC', 2, 0.12, 3000),
    offer('PLANT', 'CONN-AND', 1, 2.1, null, 500),
    offer('PLANT', 'PUMP-HEAD', 4, 1900, 6),
    offer('PLANT', 'FRAME-GALV', 3, 650, 4),
    offer('PLANT', 'PANEL-BASIC', 2, 380, 10),
    // Northline is cheaper on PVC but slower: it gets PVC work only when that costs no time.
    offer('NLX', 'JKT-PVC', 4, 0.09, 5000),
    offer('NLX', 'JKT-LSZH', 3, 0.18, 2000),
    offer('NLX', 'JKT-PUR', 4, 0.31, 1500),
    offer('NLX', 'ARM-SWA', 5, 0.62, 1000),
    offer('NLX', 'ARM-BRAID', 5, 0.5, 1000),
    offer('KCD', 'CONN-N', 2, 3.4, null, 300),
    offer('KCD', 'CONN-M12', 3, 5.9, 400),
    offer('KCD', 'PANEL-VFD', 6, 1250, 4),
    offer('KCD', 'TELEMETRY', 5, 540, 6),
    offer('KCD', 'MOTOR-5', 7, 900, 5),
    offer('KCD', 'MOTOR-11', 7, 1500, 5),
    offer('KCD', 'MOTOR-22', 8, 2800, 3),
    offer('KCD', 'FRAME-SS316', 8, 1900, 2),
  ];
}

export interface SalesDemoResult {
  divisionId: string;
  customerId: string;
  priceList: string;
  fulfillers: { code: string; id: string; callbackSecret: string | null }[];
  pipelines: string[];
  opportunityIds: string[];
  quoteId: string;
  orderId: string | null;
}

/**
 * Seeds the equipment division's sales set-up. Safe to call again: what exists (by code) is kept and only
 * the sample quote and order are added again. Fulfiller callback secrets are returned when created, so a
 * demo can play a subcontractor calling back.
 */
export async function seedSalesDemo(
  services: { sales: SalesService; org: OrgService; customers: CustomerService },
  opts: SalesDemoOptions = {},
): Promise<SalesDemoResult> {
  const tenantId = opts.tenantId ?? DEFAULT_TENANT;
  const admin = systemActor(tenantId);
  const rep: Actor = { ...admin, userId: opts.ownerUserId ?? null };
  const { sales, org } = services;
  const today = sales.context.today();
  const year = Number(today.slice(0, 4));

  const divisions = await org.listDivisions(admin);
  const division = divisions.find((d) => d.code === (opts.divisionCode ?? 'EQUIP')) ?? (await org.createDivision(admin, { code: opts.divisionCode ?? 'EQUIP', name: opts.divisionName ?? 'Equipment' }));

  const existingComponents = new Set((await sales.catalogue.listComponents(admin)).map((c) => c.code));
  for (const [code, name, unit] of COMPONENTS) if (!existingComponents.has(code)) await sales.catalogue.createComponent(admin, { code, name, unit });

  const existingProducts = new Set((await sales.catalogue.listProducts(admin)).map((p) => p.code));
  for (const p of DEMO_PRODUCTS) {
    if (existingProducts.has(p.code)) continue;
    await sales.catalogue.createProduct(admin, { divisionId: division.id, code: p.code, name: p.name, kind: p.kind, unit: p.unit, definition: p.definition });
  }

  const fulfillers: SalesDemoResult['fulfillers'] = [];
  const existingFulfillers = new Map((await sales.fulfilment.listFulfillers(admin)).map((f) => [f.code, f]));
  for (const f of FULFILLERS) {
    const found = existingFulfillers.get(f.code);
    if (found) fulfillers.push({ code: f.code, id: found.id, callbackSecret: null });
    else {
      const created = await sales.fulfilment.createFulfiller(admin, { ...f, holidays: [`${year}-12-24`, `${year}-12-25`, `${year}-12-31`, `${year + 1}-01-01`] });
      fulfillers.push({ code: f.code, id: created.id, callbackSecret: created.callbackSecret });
    }
  }
  for (const o of demoOffers()) await sales.fulfilment.putOffer(admin, o);

  const priceListCode = 'EQUIP-USD';
  const lists = await sales.pricing.listPriceLists(admin, { divisionId: division.id });
  if (!lists.some((l) => l.code === priceListCode)) {
    await sales.pricing.createPriceList(admin, {
      divisionId: division.id,
      code: priceListCode,
      name: `Equipment price list ${year}–${year + 1} (USD)`,
      currency: 'USD',
      validFrom: `${year}-01-01`,
      validTo: `${year + 1}-12-31`,
      approvalThresholdPercent: 10,
      items: demoPriceItems,
    });
  }
  const rules = new Set((await sales.pricing.listRules(admin, { divisionId: division.id })).map((r) => r.code));
  for (const r of demoPriceRules) if (!rules.has(r.code)) await sales.pricing.createRule(admin, { divisionId: division.id, ...r });

  const pipelines = await sales.pipelines.listPipelines(admin, { divisionId: division.id });
  const ensurePipeline = async (code: string, name: string, stages: { code: string; name: string; probability: number; outcome?: 'open' | 'won' | 'lost' }[]) =>
    pipelines.find((p) => p.code === code) ?? (await sales.pipelines.createPipeline(admin, { divisionId: division.id, code, name, stages }));
  const projects = await ensurePipeline('EQUIP-PROJECTS', 'Equipment projects', [
    { code: 'qualify', name: 'Qualify', probability: 10 },
    { code: 'needs', name: 'Needs analysis', probability: 25 },
    { code: 'proposal', name: 'Proposal sent', probability: 50 },
    { code: 'negotiate', name: 'Negotiation', probability: 75 },
    { code: 'won', name: 'Won', probability: 100, outcome: 'won' },
    { code: 'lost', name: 'Lost', probability: 0, outcome: 'lost' },
  ]);
  const custom = await ensurePipeline('CUSTOM-CABLE', 'Custom cable requests', [
    { code: 'request', name: 'Request received', probability: 40 },
    { code: 'quoted', name: 'Quoted', probability: 70 },
    { code: 'won', name: 'Ordered', probability: 100, outcome: 'won' },
    { code: 'lost', name: 'Not ordered', probability: 0, outcome: 'lost' },
  ]);

  const customerId =
    opts.customerId ??
    (
      await services.customers.createCustomer(admin, {
        kind: 'organisation',
        displayName: 'Riverside Water Utility',
        email: 'procurement@riverside-water.example',
        addressLine1: '1 Weir Road',
        locality: 'Riverside',
        postcode: '40210',
        country: 'US',
        divisionIds: [division.id],
      })
    ).id;

  const inDays = (n: number) => addBusinessDays(today, n);
  const opportunities = [
    { pipelineId: projects.id, name: 'Riverside pumping station upgrade', customerId, amount: 96_000, expectedClose: inDays(25), stageCode: 'proposal' },
    { pipelineId: projects.id, name: 'Lakeside booster set', prospect: { name: 'Dana Whitfield', company: 'Lakeside Farms', email: 'dana@lakeside.example' }, referredByCustomerId: customerId, amount: 38_000, expectedClose: inDays(45), stageCode: 'qualify' },
    { pipelineId: projects.id, name: 'Harbour storm-water pumps', prospect: { name: 'Omar Haddad', company: 'Harbour Authority' }, amount: 210_000, expectedClose: inDays(60), stageCode: 'negotiate' },
    { pipelineId: custom.id, name: 'Riverside LSZH instrument cable', customerId, amount: 4_800, expectedClose: inDays(5), stageCode: 'request' },
    { pipelineId: custom.id, name: 'Marina shore-power leads', prospect: { name: 'Ines Novak', company: 'Marina Sud' }, amount: 7_400, expectedClose: inDays(10), stageCode: 'quoted' },
  ];
  const opportunityIds: string[] = [];
  for (const o of opportunities) opportunityIds.push((await sales.pipelines.createOpportunity(rep, { ...o, currency: 'USD', ownerUserId: opts.ownerUserId ?? undefined })).id);

  // The quote a rep configured with the customer: a pump station, its supply cable run and commissioning.
  const quote = await sales.quotes.createQuote(rep, {
    divisionId: division.id,
    customerId,
    opportunityId: opportunityIds[0],
    title: 'Riverside pumping station upgrade',
    requestedAt: new Date(sales.context.now().getTime() - 5 * 3600_000),
    channel: 'field',
    lines: [
      { product: 'PUMP-STATION', quantity: 1, configuration: { motor: '22', pumps: 'duty-standby', control: 'scada', frame: 'ss316', cableLength: 20 } },
      { product: 'CAB-CUSTOM', quantity: 6, configuration: { length: 40, gauge: '12', jacket: 'LSZH', connectorA: 'N', connectorB: 'N', extras: ['boots', 'labels'] } },
      { product: 'COMMISSIONING', quantity: 2, manualDiscountPercent: 5 },
    ],
    note: 'Includes a duty and a standby pump, remote monitoring, and two days of commissioning on site.',
  });

  let orderId: string | null = null;
  if (opts.withOrder ?? true) {
    // A custom cable order from the web, accepted at once; the extruder then reports a one-day slip.
    const cable = await sales.quotes.createQuote(rep, {
      divisionId: division.id,
      customerId,
      opportunityId: opportunityIds[3],
      title: 'LSZH instrument cable, 24 leads',
      requestedAt: new Date(sales.context.now().getTime() - 3 * 3600_000),
      channel: 'web',
      lines: [{ product: 'CAB-CUSTOM', quantity: 24, configuration: { length: 15, gauge: '14', jacket: 'LSZH', connectorA: 'M12', connectorB: 'N', extras: ['testcert'] } }],
    });
    const order = await sales.orders.acceptQuote(rep, cable.id, { version: 1, customerReference: 'RWU-PO-7731' });
    orderId = order.id;
    const nlx = order.routes.find((r) => r.fulfiller === 'NLX');
    if (nlx) await sales.orders.updateRoute(admin, order.id, 'NLX', { status: 'accepted', estimatedDate: addBusinessDays(nlx.promisedDate, 1), note: 'extruder line 2 down for maintenance' });
    const kcd = order.routes.find((r) => r.fulfiller === 'KCD');
    if (kcd) await sales.orders.updateRoute(admin, order.id, 'KCD', { status: 'in_production' });
  }

  return {
    divisionId: division.id,
    customerId,
    priceList: priceListCode,
    fulfillers,
    pipelines: [projects.code, custom.code],
    opportunityIds,
    quoteId: quote.id,
    orderId,
  };
}
