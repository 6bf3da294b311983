import cluster, { type Worker } from 'node:cluster';
import type { WechatPaySettings } from './config/env';
import type { Logger } from './observability/logger';

/** What the primary hands each worker once: it started the database and the sandbox, the workers only serve. */
export interface WorkerStart {
  kind: 'start';
  databaseUrl: string;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  operatorKeys: readonly string[];
}

/**
 * `API_WORKERS` processes on one port (node:cluster hands connections round-robin). A worker that dies is replaced
 * while the primary is not stopping. Returns the stop step: SIGTERM to every worker, then wait for each to drain.
 */
export function forkApiWorkers(count: number, start: WorkerStart, logger: Logger): () => Promise<void> {
  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('online', () => worker.send(start));
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ worker: worker.id, code, signal }, 'API worker exited: starting another');
      fork();
    });
    return worker;
  };
  for (let i = 0; i < count; i++) fork();
  return async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  };
}

/** In a worker: waits for the primary's start message. */
export function awaitWorkerStart(): Promise<WorkerStart> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as WorkerStart | undefined)?.kind !== 'start') return;
      process.off('message', onMessage);
      resolve(message as WorkerStart);
    };
    process.on('message', onMessage);
  });
}
