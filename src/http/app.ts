import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pinoHttp } from 'pino-http';
import type { AuthService } from '../auth/auth-service';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersService } from '../orders/orders-service';
import type { PaymentsService } from '../payments/payments-service';
import type { ReadinessCheck } from '../persistence/database-readiness';
import { apiDocsRouter } from './api-docs-router';
import { bearerAuthHandler } from './authenticate';
import { contractPath } from './contract';
import { errorHandler } from './error-handler';
import { sendProblem } from './problem';
import { assignRequestId } from './request-id';
import { authRoutes } from './routes/auth-routes';
import { operationsRoutes } from './routes/operations-routes';
import { ordersRoutes } from './routes/orders-routes';
import { paymentsRoutes } from './routes/payments-routes';
import { webhooksRoutes } from './routes/webhooks-routes';

/** What the HTTP layer is given: services built once at the composition root, reached by name. */
export interface HttpDeps {
  auth: AuthService;
  orders: OrdersService;
  payments: PaymentsService;
  readiness: ReadinessCheck;
  metrics: Metrics;
  logger: Logger;
  validateResponses: boolean;
}

export function createApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: assignRequestId,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // Small on purpose: the response serializer would otherwise copy and log every header of every answer.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    const stop = deps.metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => stop({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(operationsRoutes(deps.readiness, deps.metrics.registry));
  // The reference pages are not part of the traveler contract: served before its validator.
  app.use(apiDocsRouter());
  app.use(webhooksRoutes(deps.payments));
  app.use(express.json({ limit: '16kb' }));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: contractPath(),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses,
      validateSecurity: { handlers: { bearerAuth: bearerAuthHandler(deps.auth) } },
      ignorePaths: /^\/payments\/wechat\/notify$/,
      // The contract has no multipart body: the upload middleware would only cost a step per request.
      fileUploader: false,
    }),
  );
  app.use(authRoutes(deps.auth));
  app.use(ordersRoutes(deps.orders));
  app.use(paymentsRoutes(deps.payments));
  app.use((req, res) => {
    sendProblem(res, { title: 'Not found', status: 404, detail: 'No such route.', code: 'NOT_FOUND', request_id: String(req.id) });
  });
  app.use(errorHandler);
  return app;
}
