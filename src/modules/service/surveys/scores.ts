/**
 * Scoring conventions: NPS (0–10; promoters 9–10, detractors 0–6; score = % promoters − % detractors),
 * CSAT (1–5; satisfied = 4 or 5; score = % satisfied), CES 2.0 ("the company made it easy for me", 1–7
 * agreement, higher is easier; score = mean). A detractor closes the loop: it opens a follow-up case.
 */
export const SURVEY_KINDS = ['nps', 'csat', 'ces', 'custom'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const SCALE: Record<Exclude<SurveyKind, 'custom'>, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

export type Sentiment = 'promoter' | 'passive' | 'detractor';

export function classify(kind: SurveyKind, score: number | null, custom?: { detractorAtOrBelow?: number; promoterAtOrAbove?: number }): Sentiment | null {
  if (score === null) return null;
  switch (kind) {
    case 'nps':
      return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    case 'csat':
      return score >= 4 ? 'promoter' : score >= 3 ? 'passive' : 'detractor';
    case 'ces':
      return score >= 6 ? 'promoter' : score >= 4 ? 'passive' : 'detractor';
    case 'custom':
      if (custom?.detractorAtOrBelow !== undefined && score <= custom.detractorAtOrBelow) return 'detractor';
      if (custom?.promoterAtOrAbove !== undefined && score >= custom.promoterAtOrAbove) return 'promoter';
      return custom?.detractorAtOrBelow !== undefined || custom?.promoterAtOrAbove !== undefined ? 'passive' : null;
  }
}

export interface ScoreSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  mean: number | null;
  /** NPS in [-100, 100] for NPS surveys; % satisfied for CSAT; the mean for CES; null for custom. */
  score: number | null;
}

export function summarise(kind: SurveyKind, rows: readonly { score: number | null; sentiment: Sentiment | null }[]): ScoreSummary {
  const scored = rows.filter((r) => r.score !== null);
  return summaryFromCounts(kind, {
    responses: rows.length,
    scored: scored.length,
    promoters: rows.filter((r) => r.sentiment === 'promoter').length,
    passives: rows.filter((r) => r.sentiment === 'passive').length,
    detractors: rows.filter((r) => r.sentiment === 'detractor').length,
    mean: scored.length ? scored.reduce((s, r) => s + (r.score as number), 0) / scored.length : null,
  });
}

/** The same summary from counts a database aggregated. */
export function summaryFromCounts(kind: SurveyKind, c: { responses: number; scored: number; promoters: number; passives: number; detractors: number; mean: number | null }): ScoreSummary {
  const n = c.scored;
  let score: number | null = null;
  if (n && kind === 'nps') score = round(((c.promoters - c.detractors) / n) * 100);
  else if (n && kind === 'csat') score = round((c.promoters / n) * 100);
  else if (n && kind === 'ces') score = c.mean === null ? null : round(c.mean);
  return { responses: c.responses, promoters: c.promoters, passives: c.passives, detractors: c.detractors, mean: c.mean === null ? null : round(c.mean), score };
}

const round = (x: number) => Math.round(x * 100) / 100;
