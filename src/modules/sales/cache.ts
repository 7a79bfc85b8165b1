/**
 * Set-up data a quote is priced from (catalogue, price lists and rules, fulfiller offers) changes rarely
 * and is read on every price: it is kept per tenant for a short time. Writes through these services clear
 * the tenant at once; another process sharing a PostgreSQL server sees a change within the TTL.
 */
export class SetupCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  get<T>(tenantId: string, key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const k = `${tenantId}\u0000${key}`;
    const hit = this.entries.get(k);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(k, { at: now, value });
    // A failed load is not remembered.
    value.catch(() => this.entries.get(k)?.value === value && this.entries.delete(k));
    return value;
  }

  invalidate(tenantId: string) {
    const prefix = `${tenantId}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
