import type { Knex } from '@mikro-orm/postgresql';
import { connectionPoolOf, queryOnConnection, type ConnectionPool } from '../persistence/connection-pool';

interface Hit {
  limit: { points: number; durationMs: number };
  resolve: (msBeforeNext: number) => void;
  fail: (err: unknown) => void;
}

// The table's layout is rate-limiter-flexible's (`prefix:key`, points, expire in epoch ms), so counters carry over.
const COUNT_HITS = `insert into rate_limits as counted (key, points, expire)
  select key, hits, $2::bigint + duration from unnest($1::text[], $3::int[], $4::bigint[]) as hit(key, hits, duration)
  on conflict (key) do update set
    points = case when counted.expire <= $2 then excluded.points else counted.points + excluded.points end,
    expire = case when counted.expire <= $2 then excluded.expire else counted.expire end
  returning key, points, expire`;
const CLEAR_EVERY_MS = 5 * 60_000;

/**
 * Fixed windows in the `rate_limits` table, shared by every instance: a key's window opens at its first hit, hits
 * beyond its points are refused until it closes. Every hit counted in the same turn of the event loop, whatever
 * its limit, goes to PostgreSQL as one statement: with several API processes every poll is counted here, and a
 * round trip per hit cost more than the poll. Closed windows are deleted every few minutes.
 */
export class SharedWindowCounts {
  private pending = new Map<string, Hit[]>();
  private scheduled = false;
  private lastClearedAt: number;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly now: () => number = Date.now,
  ) {
    this.lastClearedAt = now();
  }

  /** Answers 0 when the hit is within the key's budget, else the milliseconds until its window closes. */
  hit(key: string, limit: { points: number; durationMs: number }): Promise<number> {
    return new Promise((resolve, fail) => {
      this.pending.set(key, [...(this.pending.get(key) ?? []), { limit, resolve, fail }]);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const now = this.now();
    const keys = [...batch.keys()];
    const hits = keys.map((key) => batch.get(key)?.length ?? 0);
    const durations = keys.map((key) => batch.get(key)?.[0]?.limit.durationMs ?? 0);
    try {
      const rows = await queryOnConnection<{ key: string; points: number; expire: string }>(this.pool, {
        name: 'rate-limit-hits',
        text: COUNT_HITS,
        values: [keys, now, hits, durations],
      });
      for (const row of rows) this.answer(batch.get(row.key) ?? [], row.points, Number(row.expire) - now);
    } catch (err) {
      for (const waiting of batch.values()) for (const hit of waiting) hit.fail(err);
    }
    if (now - this.lastClearedAt >= CLEAR_EVERY_MS) void this.clearClosedWindows(now);
  }

  /** The key's hits of this turn were the last `waiting.length` of its `total`: each in order against its budget. */
  private answer(waiting: Hit[], total: number, msBeforeNext: number): void {
    waiting.forEach((hit, i) => hit.resolve(total - waiting.length + i + 1 <= hit.limit.points ? 0 : Math.max(1, msBeforeNext)));
  }

  private async clearClosedWindows(now: number): Promise<void> {
    this.lastClearedAt = now;
    await queryOnConnection(this.pool, { name: 'rate-limit-clear', text: 'delete from rate_limits where expire < $1', values: [now] }).catch(() => undefined);
  }
}

const shared = new WeakMap<object, SharedWindowCounts>();

/** One batcher per pool, for every limiter counting in it. */
export function sharedWindowCountsOf(knex: Knex): SharedWindowCounts {
  let counts = shared.get(knex);
  if (!counts) {
    counts = new SharedWindowCounts(connectionPoolOf(knex));
    shared.set(knex, counts);
  }
  return counts;
}
