/**
 * What no single division could see alone: pure rules over the combined holdings and records.
 * Each insight names the divisions involved so staff know whom to talk to.
 */
export interface HoldingFact {
  accountId: string;
  divisionId: string;
  divisionName: string;
  productName: string;
  productCategory: string;
  status: 'open' | 'closed' | 'offered';
  openedOn: string | null;
  balance: number | null | undefined;
}

export interface RecordFact {
  divisionId: string;
  divisionName: string;
  createdAt: Date;
}

export interface Insight {
  kind: 'offer-conflict' | 'multi-division' | 'relationship-value';
  severity: 'info' | 'warning';
  message: string;
  divisionIds: string[];
}

export function crossDivisionInsights(holdings: HoldingFact[], records: RecordFact[]): Insight[] {
  const insights: Insight[] = [];
  const open = holdings.filter((h) => h.status === 'open');
  for (const offer of holdings.filter((h) => h.status === 'offered')) {
    const held = open.filter((h) => h.productCategory === offer.productCategory);
    if (held.length) {
      const names = held.map((h) => `${h.productName} (${h.divisionName})`).join(', ');
      insights.push({
        kind: 'offer-conflict',
        severity: 'warning',
        message: `${offer.divisionName} is offering ${offer.productName}, but the customer already holds ${names}.`,
        divisionIds: [...new Set([offer.divisionId, ...held.map((h) => h.divisionId)])],
      });
    }
  }
  const divisions = new Map<string, string>();
  for (const r of records) divisions.set(r.divisionId, r.divisionName);
  if (divisions.size > 1) {
    insights.push({
      kind: 'multi-division',
      severity: 'info',
      message: `Known to ${divisions.size} divisions: ${[...divisions.values()].sort().join(', ')}. Treat as one customer.`,
      divisionIds: [...divisions.keys()],
    });
  }
  const byDivision = new Map<string, { name: string; total: number }>();
  for (const h of open) {
    if (typeof h.balance !== 'number') continue;
    const entry = byDivision.get(h.divisionId) ?? { name: h.divisionName, total: 0 };
    entry.total += Math.abs(h.balance);
    byDivision.set(h.divisionId, entry);
  }
  if (byDivision.size > 1) {
    const total = [...byDivision.values()].reduce((s, d) => s + d.total, 0);
    const largest = [...byDivision.values()].sort((a, b) => b.total - a.total)[0];
    insights.push({
      kind: 'relationship-value',
      severity: 'info',
      message: `Balances across ${byDivision.size} divisions total ${total.toLocaleString('en-US', { maximumFractionDigits: 0 })}; the largest share is with ${largest.name}.`,
      divisionIds: [...byDivision.keys()],
    });
  }
  return insights;
}
