import type { RequestListener } from 'node:http';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pinoHttp } from 'pino-http';
import type { AdminService } from '../admin/admin-service';
import type { AuthService } from '../auth/auth-service';
import type { TrustProxy } from '../config/env';
import { serializeError, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersService } from '../orders/orders-service';
import type { PaymentsService } from '../payments/payments-service';
import type { ReadinessCheck } from '../persistence/database-readiness';
import type { RefundsService } from '../refunds/refunds-service';
import { apiDocsRouter } from './api-docs-router';
import { bearerAuthHandler } from './authenticate';
import { authenticateOperator, operatorKeyHandler } from './authenticate-operator';
import { contractPath, readContract } from './contract';
import { documentedStatusCheck, failOnUndocumentedStatus, type StatusCheck } from './documented-statuses';
import type { RequestLimiters } from './limit-requests';
import { errorHandler } from './error-handler';
import { sendProblem } from './problem';
import { refuseUnsafeText } from './refuse-unsafe-text';
import { earlyRouteAnswers, type EarlyAnswerDeps, type EarlyRoute } from './early-route-answers';
import { notificationRoute } from './notification-route';
import { compileStatusPollContract } from './status-poll-contract';
import { statusPollRoute } from './status-poll-route';
import { assignRequestId } from './request-id';
import { adminRoutes } from './routes/admin-routes';
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
  refunds: RefundsService;
  admin: AdminService;
  readiness: ReadinessCheck;
  metrics: Metrics;
  logger: Logger;
  validateResponses: boolean;
  /** Which proxies' X-Forwarded-For to believe for `req.ip` (logs, the login limit). */
  trustProxy: TrustProxy;
  limiters: RequestLimiters;
}

/**
 * The hottest requests, answered ahead of Express with what its middleware would give them; each route takes only
 * what it fully recognises and leaves the rest to Express.
 */
function earlyRoutes(deps: HttpDeps, contract: Record<string, unknown>, trustProxy: EarlyAnswerDeps['trustProxy'], statusCheck?: StatusCheck): EarlyRoute[] {
  const begin = earlyRouteAnswers({ metrics: deps.metrics, logger: deps.logger, trustProxy });
  return [
    statusPollRoute({ ...deps, begin, contract: compileStatusPollContract(contract, deps.validateResponses) }),
    notificationRoute({ payments: deps.payments, refunds: deps.refunds, begin, statusCheck }),
  ];
}

/** The Express application, behind the routes that answer the hottest requests before it. */
export function createApp(deps: HttpDeps): RequestListener {
  const contract = readContract();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  // No ETag on API answers: the contract documents no conditional requests, and hashing every body cost a share of each.
  app.set('etag', false);
  // Development and test: every answer has a status openapi.yaml documents, or it turns into a 500.
  const statusCheck = deps.validateResponses ? documentedStatusCheck(contract) : undefined;
  const early = earlyRoutes(deps, contract, app.get('trust proxy fn') as EarlyAnswerDeps['trustProxy'], statusCheck);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: assignRequestId,
      // The access line of a failed request is a warning: the failure itself was logged once, at error level,
      // where it was understood (the use case, or the error handler for the unexpected). No synthetic error object.
      customLogLevel: (_req, res, err) => (err ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // pino-http invents an Error ('failed with status code 502') for a 5xx without one: keep it out of the line.
      customErrorObject: (_req, _res, err, value: Record<string, unknown>) =>
        err.message.startsWith('failed with status code') ? { ...value, err: undefined } : value,
      customErrorMessage: (_req, res) => `request failed with status ${res.statusCode}`,
      serializers: {
        req: (req: { id: unknown; method: string; url: string; raw: { ip?: string } }) => ({ id: req.id, method: req.method, url: req.url, ip: req.raw.ip }),
        // pino-http would put pino's standard one in place of the logger's, which withholds SQL values.
        err: serializeError,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    const stop = deps.metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => stop({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(operationsRoutes(deps.readiness));
  // The reference pages are not part of the traveler contract: served before its validator.
  app.use(apiDocsRouter());
  if (statusCheck) app.use(failOnUndocumentedStatus(statusCheck));
  // Answered ahead of Express (notification-route.ts) but for what that route leaves here: a query string, a compressed body.
  app.use(webhooksRoutes(deps.payments, deps.refunds));
  // Operators are authenticated before anything of their request is read.
  app.use('/admin', authenticateOperator(deps.admin));
  app.use(express.json({ limit: '16kb' }));
  app.use(refuseUnsafeText);
  app.use(
    OpenApiValidator.middleware({
      apiSpec: contractPath(),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses,
      validateSecurity: { handlers: { bearerAuth: bearerAuthHandler(deps.auth), operatorKey: operatorKeyHandler } },
      ignorePaths: /^\/(payments|refunds)\/wechat\/notify$/,
      // The contract has no multipart body: the upload middleware would only cost a step per request.
      fileUploader: false,
    }),
  );
  app.use(authRoutes(deps.auth, deps.limiters.logins));
  app.use(ordersRoutes(deps.orders, deps.limiters.orderCreation));
  app.use(paymentsRoutes(deps.payments, deps.limiters.sessionRequests));
  app.use(adminRoutes(deps.admin));
  app.use((req, res) => {
    sendProblem(res, { title: 'Not found', status: 404, detail: 'No such route.', code: 'NOT_FOUND', request_id: String(req.id) });
  });
  app.use(errorHandler);
  return (req, res) => {
    if (!early.some((route) => route(req, res))) app(req, res);
  };
}
