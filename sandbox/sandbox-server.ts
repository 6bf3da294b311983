import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { WechatPaySettings } from '../src/config/env';
import type { Logger } from 'pino';
import { CallLog } from './control-api/call-log';
import { FaultList } from './pay-api/faults';
import { NotificationSender } from './notifications/notification-sender';
import { createPayRouter } from './pay-api/pay-router';
import { createControlRouter } from './control-api/control-routes';
import { handleCodeToSession } from './login-api/login-route';
import type { SandboxContext } from './sandbox-context';
import type { SandboxCredentials } from './credentials/sandbox-credentials';
import { sandboxWechatPaySettings, type SandboxKeyMode } from './credentials/sandbox-settings';
import { readRequestPath, serveLoginCall } from './pay-api/serve-wechat-call';
import { ResponseSigner, type SigningMode } from './pay-api/sign-sandbox-response';
import { TrackedTimers } from './notifications/tracked-timers';
import { TransactionsStore } from './pay-api/transactions-store';
import { RefundsStore } from './refund-api/refunds-store';
import { replyError, sendWechatPayReply } from './pay-api/wechat-pay-reply';

/** WeChat's retry delays after a failed notification delivery (SK-CB §重试机制), in ms. */
export const WECHAT_NOTIFICATION_SCHEDULE_MS: readonly number[] = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map(
  (seconds) => seconds * 1000,
);

export interface SandboxOptions {
  credentials: SandboxCredentials;
  /** Default 3100; 0 picks a free port. */
  port?: number;
  host?: string;
  logger?: Logger;
  /** Delays before each notification retry, in ms; the first delivery is immediate. */
  notificationSchedule?: readonly number[];
  /** Multiplies the schedule: 0.001 turns 15 s into 15 ms for tests. */
  timeScale?: number;
  signingMode?: SigningMode;
  /** Sign with `credentials.rotated` (see `withRotatedKeys`): WeChat Pay after rotating its public key or platform certificate. */
  signWithRotatedKeys?: boolean;
  clock?: () => Date;
  /** How long a refund stays PROCESSING before it settles and is notified (default 5 s; not scaled by timeScale). */
  refundProcessingMs?: number;
}

export interface RunningSandbox {
  url: string;
  port: number;
  credentials: SandboxCredentials;
  signingMode: SigningMode;
  /** Shorthand for `sandboxWechatPaySettings` pointed at this sandbox. */
  wechatPaySettings(options: { notifyUrl: string; keyMode?: SandboxKeyMode; timeoutMs?: number }): WechatPaySettings;
  /** Cancels pending notification retries and delayed answers, closes every socket. */
  close(): Promise<void>;
}

function createContext(options: SandboxOptions): SandboxContext {
  const clock = options.clock ?? (() => new Date());
  const signer = new ResponseSigner(options.credentials, options.signingMode ?? 'public-key', clock, options.signWithRotatedKeys);
  const timers = new TrackedTimers();
  const notifications = new NotificationSender({
    signer,
    apiV3Key: options.credentials.apiV3Key,
    mchId: options.credentials.mchId,
    timers,
    clock,
    logger: options.logger,
    schedule: options.notificationSchedule ?? WECHAT_NOTIFICATION_SCHEDULE_MS,
    timeScale: options.timeScale ?? 1,
  });
  return {
    credentials: options.credentials,
    clock,
    logger: options.logger,
    signer,
    platformCertificates: [options.credentials.platformCertificate, ...(options.credentials.rotated ? [options.credentials.rotated.platformCertificate] : [])],
    timers,
    notifications,
    store: new TransactionsStore(),
    refunds: new RefundsStore(),
    refundProcessingMs: options.refundProcessingMs ?? 5000,
    faults: new FaultList(),
    calls: new CallLog(),
    usedLoginCodes: new Set(),
  };
}

/** Records each WeChat API call on arrival; its status once answered. */
function recordCalls(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    const call = ctx.calls.record(req.method, readRequestPath(req), ctx.clock());
    res.locals.call = call;
    res.on('finish', () => {
      call.status = res.statusCode;
      call.requestId = res.getHeader('Request-ID')?.toString();
      ctx.logger?.info(
        { method: call.method, path: call.path, status: call.status, requestId: call.requestId, fault: call.fault },
        'sandbox answered a WeChat call',
      );
    });
    next();
  };
}

function answerUnexpectedError(ctx: SandboxContext): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    ctx.logger?.error({ err: error, path: req.path }, 'sandbox failed');
    if (res.headersSent) return;
    if (req.originalUrl.startsWith('/v3')) sendWechatPayReply(res, replyError(500, 'SYSTEM_ERROR', '系统错误'), { signer: ctx.signer });
    else res.status(400).json({ code: 'INVALID_REQUEST', message: error instanceof Error ? error.message : 'unexpected error' });
  };
}

function createApp(ctx: SandboxContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(['/v3', '/sns'], recordCalls(ctx));
  app.use('/v3', createPayRouter(ctx));
  app.get('/sns/jscode2session', serveLoginCall(ctx, handleCodeToSession(ctx)));
  app.use('/sandbox', createControlRouter(ctx));
  app.use(answerUnexpectedError(ctx));
  return app;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the sandbox WeChat Pay (pay API, login API, control API) on a real HTTP port. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const ctx = createContext(options);
  const host = options.host ?? '127.0.0.1';
  const server = createServer(createApp(ctx));
  const port = await listen(server, options.port ?? 3100, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    credentials: options.credentials,
    signingMode: ctx.signer.mode,
    wechatPaySettings: ({ notifyUrl, keyMode = 'both', timeoutMs }) =>
      sandboxWechatPaySettings(options.credentials, { baseUrl: url, notifyUrl, keyMode, timeoutMs }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        ctx.notifications.stop();
        ctx.timers.clearAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
