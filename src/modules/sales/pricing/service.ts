import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { noteChange, scopeOf, type Actor } from '../../../core/actor.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { RESOURCE, requireDivision, requireSetup, scopeFilter, type SalesContext } from '../context.js';
import { salesPriceListItems, salesPriceLists, salesPriceRules, salesProducts } from '../schema.js';
import { isCurrency } from './money.js';
import type { PriceListForPricing, PriceListItem, PriceRule, RuleCondition } from './model.js';

export type PriceListRow = typeof salesPriceLists.$inferSelect;
export type PriceRuleRow = typeof salesPriceRules.$inferSelect;

export interface NewPriceList {
  divisionId: string;
  code: string;
  name: string;
  currency: string;
  validFrom: string;
  validTo?: string | null;
  approvalThresholdPercent?: number;
  items?: PriceListItem[];
}

export interface NewPriceRule {
  divisionId: string;
  priceListId?: string | null;
  code: string;
  name: string;
  priority: number;
  when: RuleCondition;
  percentOff?: number;
  amountOff?: number;
  exclusive?: boolean;
  validFrom?: string;
  validTo?: string;
  active?: boolean;
}

/** The division scope of a read, applied in memory to cached rows (price lists have no owner). */
function visible(actor: Actor, divisionId: string) {
  if (scopeOf(actor, RESOURCE, 'read') === null) return false;
  return !actor.divisionIds || actor.divisionIds.includes(divisionId);
}

const ruleOf = (r: PriceRuleRow): PriceRule => ({
  code: r.code,
  name: r.name,
  priority: r.priority,
  when: r.when,
  percentOff: r.percentOff ?? undefined,
  amountOff: r.amountOff ?? undefined,
  exclusive: r.exclusive,
  validFrom: r.validFrom ?? undefined,
  validTo: r.validTo ?? undefined,
});

/** Price lists with validity dates, their items, and the division's ordered policy rules. */
export class PricingService {
  constructor(private readonly ctx: SalesContext) {}

  private get db() {
    return this.ctx.db;
  }

  listPriceLists(actor: Actor, q: { divisionId?: string } = {}) {
    return this.db.orm.select().from(salesPriceLists)
      .where(and(eq(salesPriceLists.tenantId, actor.tenantId), scopeFilter(actor, 'read', salesPriceLists.divisionId), q.divisionId ? eq(salesPriceLists.divisionId, q.divisionId) : undefined))
      .orderBy(asc(salesPriceLists.code));
  }

  async getPriceList(actor: Actor, idOrCode: string): Promise<PriceListRow> {
    const row = (await this.allLists(actor.tenantId)).find((l) => l.id === idOrCode || l.code === idOrCode);
    if (!row || !visible(actor, row.divisionId)) throw new NotFoundError('price list', idOrCode);
    return row;
  }

  private allLists(tenantId: string) {
    return this.ctx.cache.get(tenantId, 'price-lists', () => this.db.orm.select().from(salesPriceLists).where(eq(salesPriceLists.tenantId, tenantId)));
  }

  async getPriceListWithItems(actor: Actor, idOrCode: string) {
    const list = await this.getPriceList(actor, idOrCode);
    return { ...list, items: await this.itemsOf(actor.tenantId, list.id) };
  }

  async itemsOf(tenantId: string, priceListId: string): Promise<PriceListItem[]> {
    const rows = await this.db.orm
      .select({ item: salesPriceListItems, product: salesProducts.code })
      .from(salesPriceListItems)
      .innerJoin(salesProducts, and(eq(salesProducts.tenantId, salesPriceListItems.tenantId), eq(salesProducts.id, salesPriceListItems.productId)))
      .where(and(eq(salesPriceListItems.tenantId, tenantId), eq(salesPriceListItems.priceListId, priceListId)))
      .orderBy(asc(salesProducts.code));
    return rows.map(({ item, product }) => ({
      product,
      basePrice: item.basePrice,
      components: item.components,
      ...(item.floorPrice !== null ? { floorPrice: item.floorPrice } : {}),
      ...(item.floorPercentOfList !== null ? { floorPercentOfList: item.floorPercentOfList } : {}),
    }));
  }

  async createPriceList(actor: Actor, input: NewPriceList) {
    requireSetup(actor, 'change price lists');
    requireDivision(actor, input.divisionId);
    if (!isCurrency(input.currency)) throw new ValidationError('unknown currency', [{ path: 'body/currency', message: `${input.currency} is not an ISO 4217 currency` }]);
    if (input.validTo && input.validTo < input.validFrom) throw new ValidationError('validity ends before it starts', [{ path: 'body/validTo', message: 'before validFrom' }]);
    const [clash] = await this.db.orm.select({ id: salesPriceLists.id }).from(salesPriceLists).where(and(eq(salesPriceLists.tenantId, actor.tenantId), eq(salesPriceLists.code, input.code)));
    if (clash) throw new ConflictError(`price list ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    const items = input.items ?? [];
    const productIds = await this.productIds(actor, input.divisionId, items.map((i) => i.product), (i) => `body/items/${i}/product`);
    const list = await this.db.orm.transaction(async (tx) => {
      const [row] = await tx.insert(salesPriceLists).values({
        tenantId: actor.tenantId,
        divisionId: input.divisionId,
        code: input.code,
        name: input.name,
        currency: input.currency,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        approvalThresholdPercent: input.approvalThresholdPercent ?? 10,
      }).returning();
      if (items.length) await tx.insert(salesPriceListItems).values(items.map((i) => this.itemRow(actor.tenantId, row.id, productIds.get(i.product)!, i)));
      return row;
    });
    noteChange(actor, { resource: 'sales-price-lists', resourceId: list.id, action: 'create', after: { ...list, items } });
    this.ctx.cache.invalidate(actor.tenantId);
    return { ...list, items };
  }

  async updatePriceList(actor: Actor, idOrCode: string, patch: { name?: string; validTo?: string | null; approvalThresholdPercent?: number }) {
    requireSetup(actor, 'change price lists');
    const current = await this.getPriceList(actor, idOrCode);
    if (patch.validTo && patch.validTo < current.validFrom) throw new ValidationError('validity ends before it starts', [{ path: 'body/validTo', message: 'before validFrom' }]);
    const [row] = await this.db.orm.update(salesPriceLists).set({ ...patch, updatedAt: new Date() })
      .where(and(eq(salesPriceLists.tenantId, actor.tenantId), eq(salesPriceLists.id, current.id))).returning();
    noteChange(actor, { resource: 'sales-price-lists', resourceId: row.id, action: 'update', before: current, after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return { ...row, items: await this.itemsOf(actor.tenantId, row.id) };
  }

  /** Sets (adds or replaces) one product's price on a list. */
  async putItem(actor: Actor, idOrCode: string, item: PriceListItem) {
    requireSetup(actor, 'change price lists');
    const list = await this.getPriceList(actor, idOrCode);
    const ids = await this.productIds(actor, list.divisionId, [item.product], () => 'params/product');
    const values = this.itemRow(actor.tenantId, list.id, ids.get(item.product)!, item);
    await this.db.orm.insert(salesPriceListItems).values(values).onConflictDoUpdate({
      target: [salesPriceListItems.tenantId, salesPriceListItems.priceListId, salesPriceListItems.productId],
      set: { basePrice: values.basePrice, components: values.components, floorPrice: values.floorPrice, floorPercentOfList: values.floorPercentOfList, updatedAt: new Date() },
    });
    noteChange(actor, { resource: 'sales-price-lists', resourceId: list.id, action: 'update', after: item });
    this.ctx.cache.invalidate(actor.tenantId);
    return this.getPriceListWithItems(actor, list.id);
  }

  private itemRow(tenantId: string, priceListId: string, productId: string, i: PriceListItem) {
    return { tenantId, priceListId, productId, basePrice: i.basePrice, components: i.components, floorPrice: i.floorPrice ?? null, floorPercentOfList: i.floorPercentOfList ?? null };
  }

  private async productIds(actor: Actor, divisionId: string, codes: string[], at: (i: number) => string) {
    const rows = codes.length
      ? await this.db.orm.select({ id: salesProducts.id, code: salesProducts.code, divisionId: salesProducts.divisionId, kind: salesProducts.kind })
        .from(salesProducts).where(and(eq(salesProducts.tenantId, actor.tenantId), inArray(salesProducts.code, codes)))
      : [];
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    codes.forEach((c, i) => {
      const p = byCode.get(c);
      if (!p) issues.push({ path: at(i), message: `no product ${c}` });
      else if (p.divisionId !== divisionId) issues.push({ path: at(i), message: `${c} is sold by another division` });
      else if (p.kind === 'bundle') issues.push({ path: at(i), message: 'a bundle is priced through its items and bundle rules' });
      if (seen.has(c)) issues.push({ path: at(i), message: `${c} is listed twice` });
      seen.add(c);
    });
    if (issues.length) throw new ValidationError('some price list items are not valid', issues);
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * The list a quote is priced on. A named list must be valid on `at` (an expired list is refused with its
   * end date); otherwise the division's list in the currency asked for that is valid then, the most recent first.
   */
  async resolvePriceList(actor: Actor, q: { divisionId: string; priceList?: string; currency?: string; at: string }): Promise<PriceListRow> {
    if (q.priceList) {
      const list = await this.getPriceList(actor, q.priceList);
      if (list.divisionId !== q.divisionId) throw new ValidationError('price list of another division', [{ path: 'body/priceList', message: `${list.code} belongs to another division` }]);
      if (list.validTo !== null && list.validTo < q.at) throw new UnprocessableError(`price list ${list.code} expired on ${list.validTo}`, [{ path: 'body/priceList', message: `expired on ${list.validTo}` }]);
      if (list.validFrom > q.at) throw new UnprocessableError(`price list ${list.code} is valid only from ${list.validFrom}`, [{ path: 'body/priceList', message: `valid from ${list.validFrom}` }]);
      return list;
    }
    const [list] = (await this.allLists(actor.tenantId))
      .filter((l) => l.divisionId === q.divisionId && (!q.currency || l.currency === q.currency) && l.validFrom <= q.at && (l.validTo === null || l.validTo >= q.at))
      .sort((a, b) => (a.validFrom !== b.validFrom ? (a.validFrom > b.validFrom ? -1 : 1) : a.code < b.code ? -1 : 1));
    if (!list) throw new UnprocessableError(`no price list of this division${q.currency ? ` in ${q.currency}` : ''} is valid on ${q.at}`);
    return list;
  }

  /** What the pure engine needs: the list with its items and the rules that apply to it. */
  pricingInputs(tenantId: string, list: PriceListRow): Promise<{ priceList: PriceListForPricing; rules: PriceRule[] }> {
    return this.ctx.cache.get(tenantId, `inputs:${list.id}`, () => this.loadPricingInputs(tenantId, list));
  }

  private async loadPricingInputs(tenantId: string, list: PriceListRow): Promise<{ priceList: PriceListForPricing; rules: PriceRule[] }> {
    const [items, rules] = await Promise.all([
      this.itemsOf(tenantId, list.id),
      this.db.orm.select().from(salesPriceRules).where(and(
        eq(salesPriceRules.tenantId, tenantId),
        eq(salesPriceRules.divisionId, list.divisionId),
        eq(salesPriceRules.active, true),
        or(isNull(salesPriceRules.priceListId), eq(salesPriceRules.priceListId, list.id)),
      )),
    ]);
    return {
      priceList: {
        code: list.code,
        currency: list.currency,
        validFrom: list.validFrom,
        validTo: list.validTo,
        approvalThresholdPercent: list.approvalThresholdPercent,
        items: new Map(items.map((i) => [i.product, i])),
      },
      rules: rules.map(ruleOf),
    };
  }

  listRules(actor: Actor, q: { divisionId?: string } = {}) {
    return this.db.orm.select().from(salesPriceRules)
      .where(and(eq(salesPriceRules.tenantId, actor.tenantId), scopeFilter(actor, 'read', salesPriceRules.divisionId), q.divisionId ? eq(salesPriceRules.divisionId, q.divisionId) : undefined))
      .orderBy(asc(salesPriceRules.priority), asc(salesPriceRules.code));
  }

  async createRule(actor: Actor, input: NewPriceRule) {
    requireSetup(actor, 'change pricing rules');
    requireDivision(actor, input.divisionId);
    if (input.priceListId) {
      const list = await this.getPriceList(actor, input.priceListId);
      if (list.divisionId !== input.divisionId) throw new ValidationError('price list of another division', [{ path: 'body/priceListId', message: 'belongs to another division' }]);
    }
    const [clash] = await this.db.orm.select({ id: salesPriceRules.id }).from(salesPriceRules).where(and(eq(salesPriceRules.tenantId, actor.tenantId), eq(salesPriceRules.code, input.code)));
    if (clash) throw new ConflictError(`rule ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    const [row] = await this.db.orm.insert(salesPriceRules).values({ tenantId: actor.tenantId, ...input, priceListId: input.priceListId ?? null }).returning();
    noteChange(actor, { resource: 'sales-price-rules', resourceId: row.id, action: 'create', after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return row;
  }

  async updateRule(actor: Actor, code: string, patch: Partial<Omit<NewPriceRule, 'divisionId' | 'code' | 'priceListId'>>) {
    requireSetup(actor, 'change pricing rules');
    const [current] = await this.db.orm.select().from(salesPriceRules)
      .where(and(eq(salesPriceRules.tenantId, actor.tenantId), eq(salesPriceRules.code, code), scopeFilter(actor, 'read', salesPriceRules.divisionId)));
    if (!current) throw new NotFoundError('price rule', code);
    const next = { ...current, ...patch };
    if (next.percentOff === null && next.amountOff === null) throw new ValidationError('a rule takes something off', [{ path: 'body', message: 'give percentOff or amountOff' }]);
    const [row] = await this.db.orm.update(salesPriceRules).set({ ...patch, updatedAt: new Date() })
      .where(and(eq(salesPriceRules.tenantId, actor.tenantId), eq(salesPriceRules.id, current.id))).returning();
    noteChange(actor, { resource: 'sales-price-rules', resourceId: row.id, action: 'update', before: current, after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return row;
  }
}
