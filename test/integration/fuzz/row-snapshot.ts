import { Client } from 'pg';

/**
 * Every table of the database, each as its row count and an md5 over its rows in a stable order: two equal
 * snapshots mean no row was added, changed or removed in between.
 */
export async function openRowSnapshots(databaseUrl: string): Promise<{ take(): Promise<string>; close(): Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const tables = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const sql = tables.rows
    .map(({ name }) => `select '${name}' as name, count(*) as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from "${name}" t`)
    .join(' union all ');
  return {
    async take() {
      const result = await client.query<{ name: string; rows: string; sum: string }>(sql);
      return result.rows.map((row) => `${row.name}:${row.rows}:${row.sum}`).join(' ');
    },
    close: () => client.end(),
  };
}
