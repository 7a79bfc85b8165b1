import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; silent when output is piped or --json is asked for. With RAPPORT_PROGRESS=json
 * it writes one JSON line to stderr per percent instead ({"progress": label, "done": n, "total": t}), for scripts
 * and supervisors that watch a long command from outside, whatever the terminal or --json.
 */
export function progressBar(label: string, opts: { quiet?: boolean } = {}): Progress {
  if (process.env.RAPPORT_PROGRESS === 'json') return jsonProgress(label);
  if (opts.quiet || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? 0, done);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function jsonProgress(label: string): Progress {
  let total: number | undefined;
  let lastPercent = -1;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      const percent = total ? Math.floor((done / total) * 100) : -1;
      if (total && percent === lastPercent) return;
      lastPercent = percent;
      process.stderr.write(`${JSON.stringify({ progress: label, done, total: total ?? null })}\n`);
    },
    stop: () => undefined,
  };
}
