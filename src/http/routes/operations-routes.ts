import { Router } from 'express';
import type { ReadinessCheck } from '../../persistence/database-readiness';

/** Liveness and readiness: for the platform, outside the traveler contract. Metrics have their own listener. */
export function operationsRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const answer = await readiness();
    if (answer.error) req.log.warn({ err: answer.error }, 'readiness check failed');
    res.status(answer.ready ? 200 : 503).json(answer.body);
  });
  return router;
}
