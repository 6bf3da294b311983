import { RequestContext } from '@mikro-orm/postgresql';
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './app-deps';
import { bearerAuthHandler } from './authenticate';
import { contractPath } from './contract';
import { errorHandler } from './error-handler';
import { sendProblem } from './problem';
import { assignRequestId } from './request-id';
import { authRouter } from './routers/auth-router';
import { operationsRouter } from './routers/operations-router';
import { ordersRouter } from './routers/orders-router';
import { paymentsRouter } from './routers/payments-router';
import { webhooksRouter } from './routers/webhooks-router';
import { createStatusPollLimiter } from '../payments/status-poll-limiter';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: assignRequestId,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: { req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
    }),
  );
  app.use((req, res, next) => {
    const stop = deps.metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => stop({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(operationsRouter(deps.orm, deps.metrics));
  app.use(webhooksRouter(deps));
  app.use(express.json({ limit: '16kb' }));
  app.use((_req, _res, next) => RequestContext.create(deps.orm.em, next));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: contractPath(),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.config.validateResponses,
      validateSecurity: { handlers: { bearerAuth: bearerAuthHandler(deps.tokens, deps.clock) } },
      ignorePaths: /^\/payments\/wechat\/notify$/,
    }),
  );
  app.use(authRouter(deps));
  app.use(ordersRouter(deps));
  app.use(paymentsRouter(deps, createStatusPollLimiter(deps.config.rateLimitStore, deps.orm.em.getConnection().getKnex(), () => deps.metrics.statusPollsLimited.inc())));
  app.use((req, res) => {
    sendProblem(res, { title: 'Not found', status: 404, detail: 'No such route.', code: 'NOT_FOUND', request_id: String(req.id) });
  });
  app.use(errorHandler);
  return app;
}
