import { addBusinessDays, laterOf, type IsoDate } from './calendar.js';

/**
 * Availability, lead time and routing in one pure pass. Every component a quote needs is offered by one or
 * more fulfillers (our own stock or plant, or a subcontractor), each with a lead time, a daily capacity
 * and a unit cost. Components of a line are made in parallel; the line is assembled when the last arrives,
 * so the line's date follows its latest component path, and the order ships once, on the latest line.
 *
 * Routing rule, per line: first find the earliest date every component could be ready (the fastest
 * fulfiller of each); then give each component to the cheapest fulfiller that is ready by then, so cost is
 * saved only where it costs no time. With a customer need-by date the target moves out to it, which lets a
 * cheaper, slower fulfiller take work the customer is in no hurry for.
 */

export interface FulfillerOffer {
  fulfillerId: string;
  fulfiller: string;
  fulfillerName: string;
  kind: 'own' | 'subcontractor';
  component: string;
  /** Business days before the first unit is ready (or, from stock, before it ships). */
  leadTimeDays: number;
  /** Units per business day once started; null when capacity does not bind (a catalogue part). */
  capacityPerDay: number | null;
  /** Units on the shelf now; null for a fulfiller that makes to order. */
  stockOnHand: number | null;
  unitCost: number;
  holidays: readonly string[];
}

export interface ComponentDemand {
  lineNo: number;
  component: string;
  quantity: number;
}

export interface PlanLine {
  lineNo: number;
  /** Business days our plant needs after the last component arrives. */
  assemblyDays: number;
}

export interface PlanInput {
  start: IsoDate;
  lines: readonly PlanLine[];
  demands: readonly ComponentDemand[];
  offers: readonly FulfillerOffer[];
  /** Units already committed to each fulfiller for each component (key `fulfillerId|component`), queued ahead of this work. */
  backlog?: ReadonlyMap<string, number>;
  /** Business days from our dock to the customer. */
  shippingDays: number;
  /** Our own calendar, for assembly and shipping. */
  holidays?: readonly string[];
  /** The customer's requested delivery date, if any. */
  needBy?: IsoDate;
}

export interface Allocation {
  lineNo: number;
  component: string;
  quantity: number;
  fulfillerId: string;
  fulfiller: string;
  fulfillerName: string;
  kind: 'own' | 'subcontractor';
  basis: 'stock' | 'make';
  readyOn: IsoDate;
  cost: number;
  /** Why this fulfiller: "fastest", "cheapest ready by 2026-12-03"… */
  reason: string;
  candidates: number;
}

export interface LinePlanResult {
  lineNo: number;
  componentsReadyOn: IsoDate;
  deliveryDate: IsoDate;
  critical: { component: string; fulfiller: string } | null;
}

export interface FulfillerRoute {
  fulfillerId: string;
  fulfiller: string;
  fulfillerName: string;
  kind: 'own' | 'subcontractor';
  readyOn: IsoDate;
  cost: number;
  items: { lineNo: number; component: string; quantity: number; readyOn: IsoDate }[];
}

export interface DeliveryPlan {
  start: IsoDate;
  /** The one date the customer is promised: every line, consolidated into one shipment. */
  deliveryDate: IsoDate;
  meetsNeedBy: boolean | null;
  lines: LinePlanResult[];
  allocations: Allocation[];
  routes: FulfillerRoute[];
  critical: { lineNo: number; component: string; fulfiller: string; readyOn: IsoDate } | null;
  /** Components nobody offers: the plan is not deliverable until someone does. */
  unavailable: ComponentDemand[];
  cost: number;
}

interface Candidate {
  offer: FulfillerOffer;
  basis: 'stock' | 'make';
  readyOn: IsoDate;
  cost: number;
}

const key = (fulfillerId: string, component: string) => `${fulfillerId}|${component}`;

export function planDelivery(input: PlanInput): DeliveryPlan {
  const own = new Set(input.holidays ?? []);
  const offersByComponent = new Map<string, FulfillerOffer[]>();
  for (const o of input.offers) {
    const list = offersByComponent.get(o.component) ?? [];
    list.push(o);
    offersByComponent.set(o.component, list);
  }
  const holidaySets = new Map<string, ReadonlySet<string>>();
  const holidaysOf = (o: FulfillerOffer) => {
    let s = holidaySets.get(o.fulfillerId);
    if (!s) holidaySets.set(o.fulfillerId, (s = new Set(o.holidays)));
    return s;
  };
  // Work queued per fulfiller and component, and stock already promised, as this plan allocates.
  const queue = new Map(input.backlog ?? []);
  const stockTaken = new Map<string, number>();

  const candidatesFor = (d: ComponentDemand): Candidate[] =>
    (offersByComponent.get(d.component) ?? []).map((offer) => {
      const k = key(offer.fulfillerId, offer.component);
      const free = offer.stockOnHand === null ? 0 : offer.stockOnHand - (stockTaken.get(k) ?? 0);
      let days = offer.leadTimeDays;
      let basis: 'stock' | 'make' = 'stock';
      if (free < d.quantity) {
        basis = 'make';
        if (offer.capacityPerDay !== null) days += Math.ceil(((queue.get(k) ?? 0) + d.quantity) / offer.capacityPerDay);
      }
      return { offer, basis, readyOn: addBusinessDays(input.start, days, holidaysOf(offer)), cost: d.quantity * offer.unitCost };
    });

  const demandsByLine = new Map<number, ComponentDemand[]>();
  for (const d of input.demands) {
    const list = demandsByLine.get(d.lineNo) ?? [];
    list.push(d);
    demandsByLine.set(d.lineNo, list);
  }
  const margin = (assemblyDays: number) => assemblyDays + input.shippingDays;

  const allocations: Allocation[] = [];
  const unavailable: ComponentDemand[] = [];
  const lines: LinePlanResult[] = [];
  for (const line of input.lines) {
    const demands = demandsByLine.get(line.lineNo) ?? [];
    const options = demands.map((d) => ({ demand: d, candidates: candidatesFor(d) }));
    const fastest = (cs: Candidate[]) => cs.reduce((a, b) => (b.readyOn < a.readyOn || (b.readyOn === a.readyOn && b.cost < a.cost) ? b : a));
    let target = addBusinessDays(input.start, 0, own);
    for (const o of options) if (o.candidates.length) target = laterOf(target, fastest(o.candidates).readyOn);
    const fromNeed = input.needBy ? addBusinessDays(input.needBy, -margin(line.assemblyDays), own) : null;
    const byNeed = fromNeed !== null && fromNeed > target;
    if (byNeed) target = fromNeed!;

    let readyOn = addBusinessDays(input.start, 0, own);
    let critical: LinePlanResult['critical'] = null;
    for (const { demand, candidates } of options) {
      if (!candidates.length) {
        unavailable.push(demand);
        continue;
      }
      const inTime = candidates.filter((c) => c.readyOn <= target);
      const pool = inTime.length ? inTime : candidates;
      const chosen = pool.reduce((a, b) => (better(b, a) ? b : a));
      const reason =
        candidates.length === 1 ? 'only fulfiller' : chosen === fastest(candidates) && !byNeed ? 'fastest, and cheapest of the fastest' : `cheapest ready by ${target}${byNeed ? ' (customer need-by date)' : ''}`;
      const k = key(chosen.offer.fulfillerId, demand.component);
      if (chosen.basis === 'stock') stockTaken.set(k, (stockTaken.get(k) ?? 0) + demand.quantity);
      else queue.set(k, (queue.get(k) ?? 0) + demand.quantity);
      allocations.push({
        lineNo: line.lineNo,
        component: demand.component,
        quantity: demand.quantity,
        fulfillerId: chosen.offer.fulfillerId,
        fulfiller: chosen.offer.fulfiller,
        fulfillerName: chosen.offer.fulfillerName,
        kind: chosen.offer.kind,
        basis: chosen.basis,
        readyOn: chosen.readyOn,
        cost: chosen.cost,
        reason,
        candidates: candidates.length,
      });
      if (chosen.readyOn > readyOn || critical === null) {
        readyOn = laterOf(readyOn, chosen.readyOn);
        critical = { component: demand.component, fulfiller: chosen.offer.fulfiller };
      }
    }
    lines.push({ lineNo: line.lineNo, componentsReadyOn: readyOn, deliveryDate: addBusinessDays(readyOn, margin(line.assemblyDays), own), critical });
  }

  const deliveryDate = lines.reduce((d, l) => laterOf(d, l.deliveryDate), addBusinessDays(input.start, input.shippingDays, own));
  const last = lines.find((l) => l.deliveryDate === deliveryDate);
  const criticalAllocation = last?.critical ? allocations.find((a) => a.lineNo === last.lineNo && a.component === last.critical!.component) : undefined;
  return {
    start: input.start,
    deliveryDate,
    meetsNeedBy: input.needBy ? deliveryDate <= input.needBy : null,
    lines,
    allocations,
    routes: groupRoutes(allocations),
    critical: criticalAllocation
      ? { lineNo: criticalAllocation.lineNo, component: criticalAllocation.component, fulfiller: criticalAllocation.fulfiller, readyOn: criticalAllocation.readyOn }
      : null,
    unavailable,
    cost: Math.round(allocations.reduce((s, a) => s + a.cost, 0) * 100) / 100,
  };
}

/** Cheaper wins; then earlier; then our own plant over a subcontractor (one less hand-off). */
function better(a: Candidate, b: Candidate): boolean {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.readyOn !== b.readyOn) return a.readyOn < b.readyOn;
  return a.offer.kind === 'own' && b.offer.kind !== 'own';
}

/** One work package per fulfiller: what a subcontractor is sent, and the date it must meet. */
function groupRoutes(allocations: readonly Allocation[]): FulfillerRoute[] {
  const routes = new Map<string, FulfillerRoute>();
  for (const a of allocations) {
    let r = routes.get(a.fulfillerId);
    if (!r) {
      r = { fulfillerId: a.fulfillerId, fulfiller: a.fulfiller, fulfillerName: a.fulfillerName, kind: a.kind, readyOn: a.readyOn, cost: 0, items: [] };
      routes.set(a.fulfillerId, r);
    }
    r.items.push({ lineNo: a.lineNo, component: a.component, quantity: a.quantity, readyOn: a.readyOn });
    r.readyOn = laterOf(r.readyOn, a.readyOn);
    r.cost = Math.round((r.cost + a.cost) * 100) / 100;
  }
  return [...routes.values()];
}
