import { Stack, Text } from '@mantine/core';
import { comparisonLabel, formatProbability, formatWeight, levelLabel, weightScale, type Explanation } from '../explanation';
import classes from './MatchExplanation.module.css';

/** A bar diverging from zero: right (teal) is evidence for one person, left (red) evidence against. */
function WeightBar({ weight, scale, tone }: { weight: number; scale: number; tone?: 'neutral' }) {
  const width = `${Math.min(50, (Math.abs(weight) / scale) * 50)}%`;
  const side = weight >= 0 ? classes.for : classes.against;
  return (
    <div className={classes.track} aria-hidden>
      <span className={classes.axis} />
      {weight !== 0 && <span className={`${classes.bar} ${side} ${tone === 'neutral' ? classes.neutral : ''}`} style={{ width }} />}
    </div>
  );
}

function tfNote(tf: number | undefined) {
  if (tf === undefined || Math.abs(tf) < 0.05) return null;
  return `includes ${formatWeight(tf)}: the value is ${tf < 0 ? 'common' : 'rare'}`;
}

/**
 * Why the matcher scored the pair as it did (Fellegi-Sunter): the prior odds that two records sharing a block
 * are one person, plus each comparison's weight, give the total; the probability follows from the total.
 */
export function MatchExplanation({ explanation: e }: { explanation: Explanation }) {
  const scale = weightScale(e);
  const sum = e.prior + e.fields.reduce((s, f) => s + f.weight, 0);
  return (
    <Stack gap={6}>
      <table className={classes.table} aria-label="Evidence, field by field">
        <thead>
          <tr>
            <th scope="col">Comparison</th>
            <th scope="col">Agreement</th>
            <th scope="col" className={classes.barCell}>
              <span>against ← weight → for</span>
            </th>
            <th scope="col" className={classes.weight}>
              bits
            </th>
          </tr>
        </thead>
        <tbody>
          <tr className={classes.prior}>
            <th scope="row">Prior</th>
            <td>
              before any evidence
              <span className={classes.note}>odds two records in the same block are one person</span>
            </td>
            <td className={classes.barCell}>
              <WeightBar weight={e.prior} scale={scale} tone="neutral" />
            </td>
            <td className={classes.weight}>{formatWeight(e.prior)}</td>
          </tr>
          {e.fields.map((f) => {
            const note = tfNote(f.tfAdjustment);
            return (
              <tr key={f.comparison}>
                <th scope="row">{comparisonLabel(f.comparison)}</th>
                <td>
                  {levelLabel(f.level)}
                  {note && <span className={classes.note}>{note}</span>}
                </td>
                <td className={classes.barCell}>
                  <WeightBar weight={f.weight} scale={scale} />
                </td>
                <td className={classes.weight}>{formatWeight(f.weight)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>prior + evidence</td>
            <td className={classes.barCell}>
              <WeightBar weight={e.weight} scale={Math.max(scale, Math.abs(e.weight))} />
            </td>
            <td className={classes.weight}>{formatWeight(e.weight)}</td>
          </tr>
          <tr>
            <th scope="row">Probability</th>
            <td colSpan={3}>{formatProbability(e.probability)} that these records are one person</td>
          </tr>
        </tfoot>
      </table>
      {Math.abs(sum - e.weight) > 0.05 && (
        <Text size="xs" c="dimmed">
          The fields and prior add up to {formatWeight(sum)} bits; the stored total is {formatWeight(e.weight)}.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Weights are in bits: each +1 doubles the odds that the records are one person, each −1 halves them.
      </Text>
    </Stack>
  );
}
