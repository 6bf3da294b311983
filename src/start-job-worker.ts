import type { Application } from './composition-root';
import { openApplication, type PaymentApiOptions } from './start-payment-api';

export interface RunningJobWorker {
  metrics: Application['metrics'];
  jobs: Application['jobs'];
  services: Application['services'];
  stop(): Promise<void>;
}

/** Jobs only, no HTTP (`npm run worker`): the same application and database as the API, whatever JOBS says. */
export async function startJobWorker(options: PaymentApiOptions): Promise<RunningJobWorker> {
  const { application, close } = await openApplication(options, true);
  return { metrics: application.metrics, jobs: application.jobs, services: application.services, stop: close };
}
