import { openTestDatabase } from '../core/db/testing.js';
import { systemActor } from '../core/actor.js';
import { DEFAULT_TENANT } from '../core/ids.js';
import { buildServer } from './server.js';

/** A server on a fresh database with an administrator and an API key, for route tests. */
export async function buildTestApp() {
  const db = await openTestDatabase();
  const app = await buildServer({ db, rateLimitPerMinute: 1_000_000, logger: process.env.TEST_LOG ? { level: "error" } : false });
  const admin = await app.services.access.createUser(DEFAULT_TENANT, {
    email: 'admin@example.org',
    displayName: 'Admin',
    password: 'correct horse battery staple',
    role: 'admin',
  });
  const key = await app.services.access.createApiKey(systemActor(DEFAULT_TENANT), admin.id, 'tests');
  const auth = { authorization: `Bearer ${key.secret}` };
  return {
    app,
    db,
    admin,
    auth,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
