import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/observability/logger';
import { startEmbeddedPostgres } from '../../src/persistence/embedded-postgres';
import { connectOrm, migrate } from '../../src/persistence/orm';

/**
 * One real PostgreSQL for the integration run, fresh each time, migrated once. With TEST_DATABASE_URL
 * set, that server is used instead (and left running).
 */
export default async function globalSetup(): Promise<void> {
  const logger = createLogger('warn');
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'wechat-payment-session-test-'));
    // The server runs as the `postgres` user when we are root: it must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    const port = 55000 + Math.floor(Math.random() * 4000);
    const postgres = await startEmbeddedPostgres({ dataDir, port, logger, urlVariable: 'TEST_DATABASE_URL' });
    (globalThis as { __postgres__?: { stop(): Promise<void> } }).__postgres__ = postgres;
    url = postgres.url;
  }
  const orm = await connectOrm(url, logger);
  await migrate(orm);
  await orm.close();
  process.env.DATABASE_URL = url;
}
