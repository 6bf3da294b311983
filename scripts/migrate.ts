/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded PostgreSQL under
 * DATA_DIR when DATABASE_URL is unset (started for the run, then stopped). Safe to run while instances start:
 * every migrator takes the same advisory lock. With MIGRATE_ON_START=false this is the release step.
 */
import { loadConfig } from '../src/config/env';
import { createLogger } from '../src/observability/logger';
import { startEmbeddedPostgres } from '../src/persistence/embedded-postgres';
import { connectOrm, migrate } from '../src/persistence/orm';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger });
  try {
    const orm = await connectOrm(config.databaseUrl ?? (embedded?.url as string), logger);
    const applied = await migrate(orm, logger);
    await orm.close();
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
