import type { AddressInfo } from 'node:net';
import { buildServer } from '../../../src/api/server.js';
import { openTestDatabase } from '../../../src/core/db/testing.js';
import { WEB_DIST } from './webBuild.js';

/** The real server (API and built web app) on a fresh database, listening on a free loopback port. */
export async function startApp() {
  const db = await openTestDatabase();
  const app = await buildServer({ db, webDir: WEB_DIST, rateLimitPerMinute: 1_000_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    db,
    services: app.services,
    baseURL: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
