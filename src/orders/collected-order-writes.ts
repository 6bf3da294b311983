/**
 * Status moves and history rows of orders locked in one transaction, held back and then written together: the
 * moves of one shape (the same columns changed) as one `update … from unnest(…)`, every history row in call order
 * as one `insert … select from unnest(…)`, all in one statement. The orders repository owns it and its SQL.
 */
export interface CollectedMove {
  orderId: string;
  /** The stored status the move compares against (what the lock showed, after earlier moves). */
  from: string;
  /** Column name → new value. */
  changes: Record<string, unknown>;
}

export interface CollectedStatement {
  sql: string;
  params: unknown[];
  /**
   * How many rows each `moved_n` must report: one per move of that shape. Two moves of one order in one statement
   * would update it once, so they fail this check too (only `pending` moves, so a held order cannot move again).
   */
  expected: number[];
}

/** `payment_status_history` columns and their array types, in the order the repository writes them. */
export const HISTORY_COLUMNS = 'order_id, event, from_status, to_status, source, notification_id, detail, created_at';
const HISTORY_ARRAYS = ['uuid', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'timestamptz'];

export class CollectedOrderWrites {
  private readonly shapes = new Map<string, CollectedMove[]>();
  private history: unknown[][] = [];

  /** `columnTypes`: each orders column's SQL type, for the arrays its new values travel in. */
  constructor(private readonly columnTypes: Readonly<Record<string, string>>) {}

  addMove(move: CollectedMove): void {
    const shape = Object.keys(move.changes).join(',');
    const moves = this.shapes.get(shape);
    if (moves) moves.push(move);
    else this.shapes.set(shape, [move]);
  }

  /** One history row's values, in HISTORY_COLUMNS order. */
  addHistory(values: unknown[]): void {
    this.history.push(values);
  }

  /** The statement for everything held, which is then forgotten; undefined when nothing is held. */
  take(): CollectedStatement | undefined {
    if (this.shapes.size === 0 && this.history.length === 0) return undefined;
    const params: unknown[] = [];
    const parts = [...this.shapes.values()].map((moves, i) => `moved_${i} as (${this.updateOf(moves, params)})`);
    if (this.history.length > 0) parts.push(`history as (${historyInsertOf(this.history, params)})`);
    const counts = [...this.shapes.keys()].map((_, i) => `(select count(*) from moved_${i})::int as moved_${i}`);
    const expected = [...this.shapes.values()].map((moves) => moves.length);
    this.shapes.clear();
    this.history = [];
    return { sql: `with ${parts.join(', ')} select ${counts.length > 0 ? counts.join(', ') : '0 as moved'}`, params, expected };
  }

  private updateOf(moves: CollectedMove[], params: unknown[]): string {
    const columns = Object.keys((moves[0] as CollectedMove).changes);
    const arrays = ['uuid', 'text', ...columns.map((column) => this.columnTypes[column] ?? 'text')].map((type) => `?::${type}[]`);
    params.push(
      moves.map((move) => move.orderId),
      moves.map((move) => move.from),
      ...columns.map((column) => moves.map((move) => move.changes[column] ?? null)),
    );
    const names = ['id', 'from_status', ...columns.map((_, i) => `c${i}`)];
    const set = columns.map((column, i) => `"${column}" = moving.c${i}`).join(', ');
    return `update orders set ${set} from unnest(${arrays.join(', ')}) as moving (${names.join(', ')})
      where orders.id = moving.id and orders.status = moving.from_status returning orders.id`;
  }
}

function historyInsertOf(rows: unknown[][], params: unknown[]): string {
  params.push(...HISTORY_ARRAYS.map((_, column) => rows.map((row) => row[column] ?? null)));
  // `with ordinality … order by`: the rows get their ids in the order they were recorded.
  const arrays = HISTORY_ARRAYS.map((type) => `?::${type}[]`).join(', ');
  return `insert into payment_status_history (${HISTORY_COLUMNS})
    select ${HISTORY_COLUMNS} from unnest(${arrays}) with ordinality as recorded (${HISTORY_COLUMNS}, n) order by n`;
}
