import { and, asc, eq, inArray } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { requireDivision, requireSetup, scopeFilter, type SalesContext } from '../context.js';
import { salesComponents, salesProducts } from '../schema.js';
import { checkDefinition, componentsOf, requireValidConfiguration, validateConfiguration } from './configuration.js';
import type { CatalogueProduct, ProductDefinition } from './model.js';

export type SalesProduct = typeof salesProducts.$inferSelect;
export type SalesComponent = typeof salesComponents.$inferSelect;

export interface NewProduct {
  divisionId: string;
  code: string;
  name: string;
  description?: string;
  kind: 'configurable' | 'simple' | 'bundle';
  unit: string;
  definition: ProductDefinition;
  holdingsProductId?: string;
}

export const asCatalogueProduct = (p: SalesProduct): CatalogueProduct => ({ code: p.code, name: p.name, kind: p.kind, unit: p.unit, definition: p.definition });

/** The configurable catalogue: products, their options and rules, bundles, and the components they consume. */
export class CatalogueService {
  constructor(private readonly ctx: SalesContext) {}

  private get db() {
    return this.ctx.db;
  }

  listProducts(actor: Actor, q: { divisionId?: string; status?: 'active' | 'retired' } = {}) {
    return this.db.orm.select().from(salesProducts)
      .where(and(
        eq(salesProducts.tenantId, actor.tenantId),
        scopeFilter(actor, 'read', salesProducts.divisionId),
        q.divisionId ? eq(salesProducts.divisionId, q.divisionId) : undefined,
        q.status ? eq(salesProducts.status, q.status) : undefined,
      ))
      .orderBy(asc(salesProducts.code));
  }

  async getProduct(actor: Actor, code: string): Promise<SalesProduct> {
    const [row] = await this.db.orm.select().from(salesProducts)
      .where(and(eq(salesProducts.tenantId, actor.tenantId), eq(salesProducts.code, code), scopeFilter(actor, 'read', salesProducts.divisionId)));
    if (!row) throw new NotFoundError('product', code);
    return row;
  }

  /** Products by code for pricing a quote: every code must exist, be active and belong to the division. */
  async productsForQuote(actor: Actor, divisionId: string, codes: readonly string[], at: (i: number) => string): Promise<Map<string, SalesProduct>> {
    const all = await this.ctx.cache.get(actor.tenantId, 'products', async () => {
      const rows = await this.db.orm.select().from(salesProducts).where(eq(salesProducts.tenantId, actor.tenantId));
      return new Map(rows.map((r) => [r.code, r]));
    });
    const byCode = new Map(codes.flatMap((c) => (all.has(c) ? [[c, all.get(c)!] as const] : [])));
    const issues: FieldIssue[] = [];
    codes.forEach((code, i) => {
      const p = byCode.get(code);
      if (!p) issues.push({ path: at(i), message: `no product ${code} in the catalogue` });
      else if (p.status !== 'active') issues.push({ path: at(i), message: `${code} is no longer sold` });
      else if (p.divisionId !== divisionId) issues.push({ path: at(i), message: `${code} is sold by another division` });
    });
    if (issues.length) throw new ValidationError('some lines name products that cannot be quoted', issues);
    return byCode;
  }

  async createProduct(actor: Actor, input: NewProduct) {
    requireSetup(actor, 'change the sales catalogue');
    requireDivision(actor, input.divisionId);
    await this.checkProduct(actor, input);
    const [clash] = await this.db.orm.select({ id: salesProducts.id }).from(salesProducts)
      .where(and(eq(salesProducts.tenantId, actor.tenantId), eq(salesProducts.code, input.code)));
    if (clash) throw new ConflictError(`product code ${input.code} is taken`, [{ path: 'body/code', message: 'already taken' }]);
    const [row] = await this.db.orm.insert(salesProducts).values({ tenantId: actor.tenantId, ...input }).returning();
    noteChange(actor, { resource: 'sales-products', resourceId: row.id, action: 'create', after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return row;
  }

  /** Changing a definition never changes a quote already written: versions keep the lines as priced. */
  async updateProduct(actor: Actor, code: string, patch: Partial<Pick<NewProduct, 'name' | 'description' | 'unit' | 'definition'>> & { status?: 'active' | 'retired' }) {
    requireSetup(actor, 'change the sales catalogue');
    const current = await this.getProduct(actor, code);
    if (patch.definition) await this.checkProduct(actor, { ...current, description: current.description ?? undefined, holdingsProductId: current.holdingsProductId ?? undefined, definition: patch.definition });
    const [row] = await this.db.orm.update(salesProducts).set({ ...patch, updatedAt: new Date() })
      .where(and(eq(salesProducts.tenantId, actor.tenantId), eq(salesProducts.id, current.id))).returning();
    noteChange(actor, { resource: 'sales-products', resourceId: row.id, action: 'update', before: current, after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return row;
  }

  private async checkProduct(actor: Actor, input: NewProduct) {
    const used = input.definition.components.map((c) => c.component);
    const known = new Set((used.length ? await this.componentsByCode(actor.tenantId, used) : new Map()).keys());
    const issues = checkDefinition(input.definition, known);
    if (input.kind !== 'bundle' && input.definition.bundleItems.length) issues.push({ path: 'body/definition/bundleItems', message: 'only bundles list bundle items' });
    if (input.kind === 'bundle') {
      if (!input.definition.bundleItems.length) issues.push({ path: 'body/definition/bundleItems', message: 'a bundle lists at least one product' });
      if (input.definition.options.length || input.definition.components.length) issues.push({ path: 'body/definition', message: 'a bundle is configured through its items, not options of its own' });
      const codes = input.definition.bundleItems.map((b) => b.product);
      const rows = codes.length ? await this.db.orm.select().from(salesProducts).where(and(eq(salesProducts.tenantId, actor.tenantId), inArray(salesProducts.code, codes))) : [];
      const byCode = new Map(rows.map((r) => [r.code, r]));
      input.definition.bundleItems.forEach((item, i) => {
        const p = byCode.get(item.product);
        const at = `body/definition/bundleItems/${i}`;
        if (!p) return issues.push({ path: `${at}/product`, message: `no product ${item.product}` });
        if (p.kind === 'bundle') return issues.push({ path: `${at}/product`, message: 'bundles do not nest' });
        if (p.divisionId !== input.divisionId) return issues.push({ path: `${at}/product`, message: `${item.product} is sold by another division` });
        // A bundle's items may leave options open for the customer; what they fix must be valid.
        const r = validateConfiguration(p.definition, item.configuration);
        if (!r.ok) for (const v of r.violations) if (v.rule !== 'option:required') issues.push({ path: `${at}/configuration/${v.option}`, message: v.message });
      });
    }
    if (input.kind === 'simple' && input.definition.options.length) issues.push({ path: 'body/definition/options', message: 'a simple product has no options; make it configurable' });
    if (issues.length) throw new ValidationError(`the definition of ${input.code} is not consistent`, issues);
  }

  /** The configurator: a normalised configuration and the components it consumes, or every broken rule. */
  async configure(actor: Actor, code: string, configuration: Record<string, unknown>, quantity = 1) {
    const product = await this.getProduct(actor, code);
    const result = requireValidConfiguration(asCatalogueProduct(product), configuration);
    return { product: product.code, configuration: result.configuration, customised: result.customised, components: componentsOf(product.definition, result.configuration, quantity) };
  }

  listComponents(actor: Actor) {
    return this.db.orm.select().from(salesComponents).where(eq(salesComponents.tenantId, actor.tenantId)).orderBy(asc(salesComponents.code));
  }

  async createComponent(actor: Actor, input: { code: string; name: string; unit: string }) {
    requireSetup(actor, 'change the sales catalogue');
    const existing = await this.componentsByCode(actor.tenantId, [input.code]);
    if (existing.size) throw new ConflictError(`component ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    const [row] = await this.db.orm.insert(salesComponents).values({ tenantId: actor.tenantId, ...input }).returning();
    noteChange(actor, { resource: 'sales-components', resourceId: row.id, action: 'create', after: row });
    this.ctx.cache.invalidate(actor.tenantId);
    return row;
  }

  async componentsByCode(tenantId: string, codes: readonly string[]): Promise<Map<string, SalesComponent>> {
    if (!codes.length) return new Map();
    const rows = await this.db.orm.select().from(salesComponents).where(and(eq(salesComponents.tenantId, tenantId), inArray(salesComponents.code, [...new Set(codes)])));
    return new Map(rows.map((r) => [r.code, r]));
  }
}
