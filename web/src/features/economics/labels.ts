/** Tier ids are "top1", "top5", "top20" and "rest" by default; a tenant may configure others. */
export function tierLabel(tier: string): string {
  const top = /^top(\d+(?:\.\d+)?)$/.exec(tier);
  if (top) return `Top ${top[1]}%`;
  if (tier === 'rest') return 'The rest';
  return tier;
}

export function dispositionLabel(disposition: string): string {
  const words = disposition.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DISPOSITION_COLORS: Record<string, string> = {
  strategic: 'grape',
  keep: 'orange',
  'acquire-lookalike': 'indigo',
  grow: 'teal',
  profitable: 'green',
  'let-go': 'gray',
  'serve-at-lower-cost': 'yellow',
};
export const dispositionColor = (d: string) => DISPOSITION_COLORS[d] ?? 'blue';

export function percent(share: number | null | undefined, digits = 0): string {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}
