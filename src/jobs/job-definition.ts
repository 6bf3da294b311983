/**
 * A kind of job: its queue's name and how failures are retried. `T` is the job's data (JSON, stored in the
 * queue's table), so senders and the worker agree on it through the type.
 */
export interface JobDefinition<T extends object> {
  readonly name: string;
  /**
   * pg-boss queue policy: `standard` (any number of jobs), `short` (at most one queued per singleton key),
   * `singleton` (at most one active per key), `stately` (at most one queued and one active per key).
   */
  readonly policy: 'standard' | 'short' | 'singleton' | 'stately';
  /** Failed attempts are retried `limit` times, `delaySeconds` apart, doubling each time with `backoff`. */
  readonly retry: { limit: number; delaySeconds: number; backoff: boolean };
  /** An attempt running longer than this is failed (and retried): a worker that died mid-job frees its job. */
  readonly expireInSeconds: number;
  /** Workers this instance runs for the queue; each fetches once per polling interval. */
  readonly concurrency: number;
  /** Jobs one worker fetches at a time and runs side by side (each succeeds or fails on its own). */
  readonly batchSize: number;
  /** Only carries the data type; never set. */
  readonly data?: T;
}

const DEFAULTS = { policy: 'standard', retry: { limit: 5, delaySeconds: 5, backoff: true }, expireInSeconds: 300, concurrency: 1, batchSize: 1 } as const;

export function defineJob<T extends object>(name: string, options: Partial<Omit<JobDefinition<T>, 'name' | 'data'>> = {}): JobDefinition<T> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`job name must be kebab-case, got "${name}"`);
  return { ...DEFAULTS, ...options, name };
}

export interface SendJobOptions {
  /** Not before this instant, or this many seconds from now (by the database's clock). */
  startAfter?: Date | number;
  /** With a `short`, `singleton` or `stately` policy: the key those limits apply to (an order id…). */
  singletonKey?: string;
  /** At most one job per `seconds` per key; one more sent within the slot runs in the next slot, later ones are dropped. */
  debounce?: { key: string; seconds: number };
  /** At most one job per `seconds` per key; the others are dropped. */
  throttle?: { key: string; seconds: number };
}

/** What a handler learns about the attempt it runs. */
export interface JobContext {
  id: string;
  name: string;
}

export type JobHandler<T extends object> = (data: T, context: JobContext) => Promise<void>;
