/**
 * Bench data, written straight to the database with set-based SQL (generate_series): seconds, not minutes.
 * Every group is a set of travelers with one order each, told apart by an openid prefix.
 */
import type pg from 'pg';

export interface Traveler {
  userId: string;
  openid: string;
  orderId: string;
  outTradeNo: string | null;
}

/** What a stored session looks like; the API answers these bytes again on a repeat. */
const STORED_PARAMS = JSON.stringify({
  appId: 'wxbench',
  timeStamp: '1700000000',
  nonceStr: 'benchnonce',
  package: 'prepay_id=wx_bench',
  signType: 'RSA',
  paySign: 'bench-signature',
});

/**
 * `count` travelers `<prefix><n>`, each with one pending order of `amount` fen. `prepared` orders carry an
 * out_trade_no and payer (a notification can pay them) and fresh stored session parameters.
 */
export async function seedGroup(db: pg.Client, prefix: string, count: number, options: { prepared: boolean; amount?: number }): Promise<void> {
  await db.query(
    `insert into users (id, openid, created_at, updated_at)
     select gen_random_uuid(), $1 || g, now(), now() from generate_series(1, $2::int) g`,
    [prefix, count],
  );
  await db.query(
    `insert into orders (id, user_id, amount, description, status, lock_expire_at, created_at, updated_at,
                         out_trade_no, trade_state, payer_openid, payment_params, payment_requested_at)
     select gen_random_uuid(), u.id, $2, 'bench ticket', 'pending', now() + interval '3 hours', now(), now(),
            case when $3 then md5(u.id::text) end, case when $3 then 'NOTPAY' end, case when $3 then u.openid end,
            case when $3 then $4 end, case when $3 then now() end
     from users u where u.openid like $1 || '%'`,
    [prefix, options.amount ?? 8800, options.prepared, STORED_PARAMS],
  );
}

export async function travelersOf(db: pg.Client, prefix: string): Promise<Traveler[]> {
  const { rows } = await db.query<{ user_id: string; openid: string; order_id: string; out_trade_no: string | null }>(
    `select u.id as user_id, u.openid, o.id as order_id, o.out_trade_no from users u join orders o on o.user_id = u.id
     where u.openid like $1 || '%' order by u.openid`,
    [prefix],
  );
  return rows.map((row) => ({ userId: row.user_id, openid: row.openid, orderId: row.order_id, outTradeNo: row.out_trade_no }));
}

/** Stored session parameters are answered again for 10 minutes: make them fresh before a run of repeats. */
export async function refreshStoredSessions(db: pg.Client, prefix: string): Promise<void> {
  await db.query(`update orders set payment_requested_at = now() where user_id in (select id from users where openid like $1 || '%')`, [prefix]);
}

/** Grows the orders table to `total` rows with other travelers' orders (ten each, all paid long ago). */
export async function growOrdersTo(db: pg.Client, total: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>('select count(*) as n from orders');
  const missing = total - Number(rows[0]?.n ?? 0);
  if (missing <= 0) return Number(rows[0]?.n ?? 0);
  const users = Math.ceil(missing / 10);
  await db.query(
    `insert into users (id, openid, created_at, updated_at)
     select gen_random_uuid(), 'bench-filler-' || g, now(), now() from generate_series(1, $1::int) g`,
    [users],
  );
  await db.query(
    `insert into orders (id, user_id, amount, description, status, lock_expire_at, created_at, updated_at)
     select gen_random_uuid(), u.id, 8800, 'bench filler', 'paid', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
     from users u cross join generate_series(1, 10) k where u.openid like 'bench-filler-%' limit $1`,
    [missing],
  );
  await db.query('vacuum analyze orders');
  await db.query('vacuum analyze users');
  // The writes above are flushed now, not by a checkpoint in the middle of the next measurement.
  await db.query('checkpoint');
  return total;
}

/** How many of a group's orders a notification paid, and how many history rows say so (exactly once each). */
export async function paidCounts(db: pg.Client, prefix: string): Promise<{ paid: number; succeededRows: number; notifications: number }> {
  const { rows } = await db.query<{ paid: string; rows: string; notifications: string }>(
    `select (select count(*) from orders o join users u on u.id = o.user_id where u.openid like $1 || '%' and o.status = 'paid') as paid,
            (select count(*) from payment_status_history h join orders o on o.id = h.order_id join users u on u.id = o.user_id
              where u.openid like $1 || '%' and h.event = 'payment_succeeded') as rows,
            (select count(*) from payment_notifications where outcome = 'applied') as notifications`,
    [prefix],
  );
  return { paid: Number(rows[0]?.paid), succeededRows: Number(rows[0]?.rows), notifications: Number(rows[0]?.notifications) };
}
