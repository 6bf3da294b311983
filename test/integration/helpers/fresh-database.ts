import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface FreshDatabase {
  url: string;
  query<T>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

async function run<T>(connectionString: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server (the one DATABASE_URL points at); `drop()` removes it. */
export async function createFreshDatabase(prefix = 'fresh'): Promise<FreshDatabase> {
  const serverUrl = process.env.DATABASE_URL as string;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await run(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    query: (sql) => run(url.toString(), sql),
    drop: async () => void (await run(serverUrl, `drop database if exists "${name}" with (force)`)),
  };
}
