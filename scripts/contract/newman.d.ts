/** The part of Newman's library API scripts/contract uses (newman ships no types). */
declare module 'newman' {
  import type { EventEmitter } from 'node:events';

  export interface NewmanRunOptions {
    collection: string | object;
    environment?: string | object;
    envVar?: { key: string; value: string }[];
    folder?: string | string[];
    reporters?: string | string[];
    reporter?: Record<string, Record<string, unknown>>;
    timeoutRequest?: number;
  }

  export interface NewmanStat {
    total: number;
    pending: number;
    failed: number;
  }

  export interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    source?: { name?: string };
    at?: string;
  }

  export interface NewmanRunSummary {
    run: {
      stats: { requests: NewmanStat; assertions: NewmanStat; testScripts: NewmanStat; prerequestScripts: NewmanStat };
      failures: NewmanFailure[];
      error?: Error;
      timings: { started: number; completed: number };
    };
  }

  export interface NewmanRequestEvent {
    item: { name: string };
    request: { method: string; url: { toString(): string } };
    response?: { code: number; headers: { get(name: string): string | undefined } };
  }

  export interface NewmanRun extends EventEmitter {
    on(event: 'request', listener: (err: Error | null, args: NewmanRequestEvent) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export function run(options: NewmanRunOptions, callback: (err: Error | null, summary: NewmanRunSummary) => void): NewmanRun;
}
