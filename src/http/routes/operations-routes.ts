import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { ReadinessCheck } from '../../persistence/database-readiness';

/** Liveness, readiness and metrics: for the platform, outside the traveler contract. */
export function operationsRoutes(readiness: ReadinessCheck, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const answer = await readiness();
    if (answer.error) req.log.warn({ err: answer.error }, 'readiness check failed');
    res.status(answer.ready ? 200 : 503).json(answer.body);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
