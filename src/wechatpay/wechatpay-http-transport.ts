import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { checkWechatPayResponse, type RawWechatPayResponse } from './check-wechatpay-response';
import { createNonce, unixSeconds } from './signature';
import { WechatPayError, WechatPayNetworkError, WechatPayTimeoutError } from './wechatpay-errors';
import { USER_AGENT, type SignableRequest, type WechatPaySigner } from './wechatpay-request-signer';
import type { WechatPayVerificationKeys } from './verify-wechatpay-signature';

/** The host wechatpay-node-v3 hard-codes; its URLs are re-pointed at `baseUrl`. */
const LIBRARY_HOST = 'https://api.mch.weixin.qq.com';
/** One metric label for every library call: paths carry out_trade_no, which would explode label cardinality. */
const LIBRARY_OPERATION = 'library';

export interface WechatPayHttpRequest {
  operation: string;
  method: 'GET' | 'POST';
  /** `/v3/…` with its query, or a library URL on the hard-coded host. */
  path: string;
  /** Sent byte for byte as signed. */
  body?: string;
  /** Extra fields for the log line (attempt, out_trade_no, masked openid): never keys, signatures or full openids. */
  logContext?: Record<string, unknown>;
}

export interface WechatPayTransportOptions {
  baseUrl: string;
  timeoutMs: number;
  signer: WechatPaySigner;
  keys: WechatPayVerificationKeys;
  /** Public-key mode: sent as `Wechatpay-Serial` on every request, as the official samples do. */
  wechatPayPublicKeyId?: string;
  now: () => Date;
  logger: Logger;
  metrics?: Pick<Metrics, 'wechatPayCalls'>;
}

function describeFailure(err: unknown): string {
  return err instanceof WechatPayError ? err.kind : 'unexpected_error';
}

function readCauseCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * One HTTP exchange with WeChat Pay: signs, sends with a timeout, keeps headers and raw body, verifies 2xx
 * answers, logs the Request-ID. Also the `IPayRequest` given to wechatpay-node-v3, so library calls take this path.
 */
export class WechatPayHttpTransport implements IPayRequest {
  constructor(private readonly options: WechatPayTransportOptions) {}

  async send(request: WechatPayHttpRequest): Promise<RawWechatPayResponse> {
    const url = this.resolveUrl(request.path);
    const signable: SignableRequest = { method: request.method, pathWithQuery: url.pathname + url.search, body: request.body ?? '' };
    const startedAt = performance.now();
    const log = { operation: request.operation, method: request.method, path: url.pathname, ...request.logContext };
    try {
      const response = await this.exchange(request.operation, url, signable);
      checkWechatPayResponse(request.operation, response, this.options.keys, this.options.now());
      this.options.logger.info({ ...log, status: response.status, requestId: response.requestId, durationMs: Math.round(performance.now() - startedAt) }, 'WeChat Pay call');
      this.options.metrics?.wechatPayCalls.inc({ operation: request.operation, outcome: 'success' });
      return response;
    } catch (err) {
      const failure = err as { status?: number; requestId?: string; code?: string; reason?: string; message?: string };
      const fields = { status: failure.status, requestId: failure.requestId, code: failure.code, reason: failure.reason, failure: describeFailure(err) };
      this.options.logger.warn({ ...log, ...fields, error: failure.message, durationMs: Math.round(performance.now() - startedAt) }, 'WeChat Pay call failed');
      this.options.metrics?.wechatPayCalls.inc({ operation: request.operation, outcome: describeFailure(err) });
      throw err;
    }
  }

  // IPayRequest. The library's own Authorization (Math.random nonce) is discarded: send() signs again.
  // Failures are thrown as typed errors instead of the library's `{ status: undefined }`, which reads like a value.
  async post(url: string, params: Record<string, unknown>): Promise<Output> {
    return this.toLibraryOutput(await this.send({ operation: LIBRARY_OPERATION, method: 'POST', path: url, body: JSON.stringify(params) }));
  }

  async get(url: string): Promise<Output> {
    return this.toLibraryOutput(await this.send({ operation: LIBRARY_OPERATION, method: 'GET', path: url }));
  }

  async upload(): Promise<Output> {
    throw new Error('media upload is not supported by this transport');
  }

  private resolveUrl(path: string): URL {
    const relative = path.startsWith(`${LIBRARY_HOST}/`) ? path.slice(LIBRARY_HOST.length) : path;
    if (!relative.startsWith('/')) throw new Error(`not a WeChat Pay API path: ${path}`);
    return new URL(this.options.baseUrl.replace(/\/+$/, '') + relative);
  }

  private buildHeaders(signable: SignableRequest): Record<string, string> {
    const { signer, now, wechatPayPublicKeyId } = this.options;
    const headers: Record<string, string> = {
      Authorization: signer.authorize(signable, unixSeconds(now()), createNonce()),
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (signable.method !== 'GET') headers['Content-Type'] = 'application/json';
    if (wechatPayPublicKeyId) headers['Wechatpay-Serial'] = wechatPayPublicKeyId;
    return headers;
  }

  private async exchange(operation: string, url: URL, signable: SignableRequest): Promise<RawWechatPayResponse> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: signable.method,
        headers: this.buildHeaders(signable),
        body: signable.method === 'GET' ? undefined : signable.body,
        signal,
        redirect: 'manual',
      });
      const rawBody = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, rawBody, requestId: response.headers.get('Request-ID') ?? undefined };
    } catch (err) {
      if (signal.aborted) throw new WechatPayTimeoutError(operation, this.options.timeoutMs);
      throw new WechatPayNetworkError(operation, readCauseCode(err), { cause: err });
    }
  }

  private toLibraryOutput(response: RawWechatPayResponse): Output {
    const text = response.rawBody.toString('utf8');
    if (text === '') return { status: response.status };
    try {
      return { status: response.status, data: JSON.parse(text) };
    } catch {
      return { status: response.status, data: text };
    }
  }
}
