import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../../core/db/engine.js';
import { divisionScope } from '../../core/db/scope.js';
import { recordChange, type Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { afterCursor, finishPage } from '../../core/db/list.js';
import { customerLinks, sourceRecords } from '../identity/schema.js';
import { sourceSystems } from '../org/schema.js';
import { accounts, products } from './schema.js';


export class HoldingsService {
  constructor(private readonly db: Database) {}

  listProducts(actor: Actor) {
    return this.db.orm.select().from(products).where(and(eq(products.tenantId, actor.tenantId), divisionScope(actor, products.divisionId))).orderBy(asc(products.name));
  }

  async createProduct(actor: Actor, input: { divisionId: string; code: string; name: string; category: string }) {
    if (!actor.can('products', 'admin')) throw new ForbiddenError('only administrators change the product catalogue');
    return this.db.orm.transaction(async (tx) => {
      const [row] = await tx.insert(products).values({ tenantId: actor.tenantId, ...input }).returning();
      await recordChange(tx, actor, { resource: 'products', resourceId: row.id, action: 'create', after: row });
      return row;
    });
  }

  async listAccounts(actor: Actor, q: { customerId?: string; sourceRecordId?: string; status?: 'open' | 'closed' | 'offered'; limit: number; cursor?: string }) {
    const conds: (SQL | undefined)[] = [eq(accounts.tenantId, actor.tenantId), divisionScope(actor, accounts.divisionId)];
    if (q.sourceRecordId) conds.push(eq(accounts.sourceRecordId, q.sourceRecordId));
    if (q.status) conds.push(eq(accounts.status, q.status));
    if (q.customerId) {
      const recordIds = this.db.orm.select({ id: customerLinks.sourceRecordId }).from(customerLinks)
        .where(and(eq(customerLinks.tenantId, actor.tenantId), eq(customerLinks.customerId, q.customerId)));
      conds.push(inArray(accounts.sourceRecordId, recordIds));
    }
    conds.push(afterCursor({ column: accounts.id, direction: 'asc' }, accounts.id, q.cursor));
    const rows = await this.db.orm
      .select({ account: accounts, productName: products.name, productCategory: products.category })
      .from(accounts)
      .innerJoin(products, and(eq(products.tenantId, accounts.tenantId), eq(products.id, accounts.productId)))
      .where(and(...conds)).orderBy(asc(accounts.id)).limit(q.limit + 1);
    return finishPage(rows.map((r) => ({ ...r.account, productName: r.productName, productCategory: r.productCategory })), q.limit, (r) => r.id);
  }

  async createAccount(actor: Actor, input: { sourceRecordId: string; productId: string; accountNumber: string; status?: 'open' | 'closed' | 'offered'; openedOn?: string; balance?: number; currency?: string }) {
    if (!actor.can('accounts', 'write')) throw new ForbiddenError('you may not open accounts');
    const [product] = await this.db.orm.select().from(products).where(and(eq(products.tenantId, actor.tenantId), eq(products.id, input.productId)));
    if (!product) throw new NotFoundError('product', input.productId);
    if (actor.divisionIds && !actor.divisionIds.includes(product.divisionId)) throw new ForbiddenError('that product belongs to a division you do not serve');
    // The account hangs off a division's source record: that record must be one the actor may see.
    const [record] = await this.db.orm.select({ divisionId: sourceSystems.divisionId }).from(sourceRecords)
      .innerJoin(sourceSystems, and(eq(sourceSystems.tenantId, sourceRecords.tenantId), eq(sourceSystems.id, sourceRecords.sourceSystemId)))
      .where(and(eq(sourceRecords.tenantId, actor.tenantId), eq(sourceRecords.id, input.sourceRecordId)));
    if (!record || (actor.divisionIds && !actor.divisionIds.includes(record.divisionId))) throw new NotFoundError('source record', input.sourceRecordId);
    const row = await this.db.orm.transaction(async (tx) => {
      const [created] = await tx.insert(accounts).values({
        tenantId: actor.tenantId,
        ...input,
        divisionId: product.divisionId,
        balance: input.balance ?? null,
      }).returning();
      await recordChange(tx, actor, { resource: 'accounts', resourceId: created.id, action: 'create', after: created });
      return created;
    });
    return { ...row, productName: product.name, productCategory: product.category };
  }
}
