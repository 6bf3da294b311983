/**
 * When the reconciler asks WeChat about an open transaction: delays between queries, counted from the session; the
 * last one repeats until the order is final (RECONCILE_SCHEDULE, src/config/reconcile-schedule-env.ts).
 */

/** Delay before query `attempt` (0 is the first after the session). */
export function reconcileDelayMs(schedule: readonly number[], attempt: number): number {
  const delay = schedule[Math.min(attempt, schedule.length - 1)];
  if (delay === undefined) throw new Error('empty reconcile schedule');
  return delay;
}

/** When each query happens, from the session: what the README documents and a unit test checks. */
export function reconcileQueryTimesMs(schedule: readonly number[], count: number): number[] {
  const times: number[] = [];
  for (let attempt = 0, at = 0; attempt < count; attempt++) times.push((at += reconcileDelayMs(schedule, attempt)));
  return times;
}
