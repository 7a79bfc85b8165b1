import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIST = path.join(REPO_ROOT, 'web/dist');
const INPUTS = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'package-lock.json'];
const LOCK = path.join(REPO_ROOT, 'tmp/web-build.lock');

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), stat.mtimeMs);
}

export function webBuildIsStale(): boolean {
  const built = fs.statSync(path.join(WEB_DIST, 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  return INPUTS.some((p) => newestMtime(path.join(REPO_ROOT, p)) > built.mtimeMs);
}

/**
 * Builds web/dist with `npm run build:web` (typecheck + vite) when it is missing or older than its sources,
 * so `npm test` on a fresh clone tests the app as it is. A directory lock keeps parallel e2e files from
 * building at the same time.
 */
export async function ensureWebBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const held = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 5 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for ${LOCK}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!webBuildIsStale()) return;
    console.info('[e2e] web/dist is missing or stale: running npm run build:web');
    try {
      // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
      execFileSync('npm', ['run', 'build:web'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`npm run build:web failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
