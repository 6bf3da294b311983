import { silentLogger, type SdkHooks } from '../hooks';
import { checkWechatPayResponse, type RawWechatPayResponse } from './check-response';
import { createNonce, unixSeconds } from '../auth/signature';
import { WechatPayError, WechatPayNetworkError, WechatPayTimeoutError } from '../errors';
import { USER_AGENT, type SignableRequest, type WechatPaySigner } from '../auth/merchant-signer';
import type { WechatPayVerificationKeys } from '../auth/verifier';

export interface WechatPayHttpRequest {
  operation: string;
  method: 'GET' | 'POST';
  /** `/v3/…` with its query. */
  path: string;
  /** Sent byte for byte as signed. */
  body?: string;
  /** Extra fields for the log line (attempt, out_trade_no, masked openid): never keys, signatures or full openids. */
  logContext?: Record<string, unknown>;
  /**
   * The keys a 2xx answer is verified with, when they depend on the answer itself (default: the transport's keys).
   * `GET /v3/certificates` is signed by a certificate it may be the first to deliver.
   */
  verificationKeys?: (response: RawWechatPayResponse) => WechatPayVerificationKeys;
}

export interface WechatPayTransportOptions {
  baseUrl: string;
  timeoutMs: number;
  signer: WechatPaySigner;
  keys: WechatPayVerificationKeys;
  /** Public-key mode: sent as `Wechatpay-Serial` on every request, as the official samples do. */
  wechatPayPublicKeyId?: string;
  clock: () => Date;
  hooks?: SdkHooks;
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
 * answers, logs the Request-ID.
 */
export class WechatPayHttpTransport {
  private readonly logger;

  constructor(private readonly options: WechatPayTransportOptions) {
    this.logger = options.hooks?.logger ?? silentLogger;
  }

  async send(request: WechatPayHttpRequest): Promise<RawWechatPayResponse> {
    const url = this.resolveUrl(request.path);
    const signable: SignableRequest = { method: request.method, pathWithQuery: url.pathname + url.search, body: request.body ?? '' };
    const startedAt = performance.now();
    const log = { operation: request.operation, method: request.method, path: url.pathname, ...request.logContext };
    try {
      const response = await this.exchange(request.operation, url, signable);
      const succeeded = response.status >= 200 && response.status < 300;
      const keys = succeeded && request.verificationKeys ? request.verificationKeys(response) : this.options.keys;
      checkWechatPayResponse(request.operation, response, keys, this.options.clock());
      this.logger.info(
        { ...log, status: response.status, requestId: response.requestId, durationMs: Math.round(performance.now() - startedAt) },
        'WeChat Pay call',
      );
      this.options.hooks?.onCall?.({ operation: request.operation, outcome: 'success' });
      return response;
    } catch (err) {
      const failure = err as { status?: number; requestId?: string; code?: string; reason?: string; message?: string };
      const fields = { status: failure.status, requestId: failure.requestId, code: failure.code, reason: failure.reason, failure: describeFailure(err) };
      this.logger.warn({ ...log, ...fields, error: failure.message, durationMs: Math.round(performance.now() - startedAt) }, 'WeChat Pay call failed');
      this.options.hooks?.onCall?.({ operation: request.operation, outcome: describeFailure(err) });
      throw err;
    }
  }

  private resolveUrl(path: string): URL {
    if (!path.startsWith('/')) throw new Error(`not a WeChat Pay API path: ${path}`);
    return new URL(this.options.baseUrl.replace(/\/+$/, '') + path);
  }

  private buildHeaders(signable: SignableRequest): Record<string, string> {
    const { signer, clock, wechatPayPublicKeyId } = this.options;
    const headers: Record<string, string> = {
      Authorization: signer.authorize(signable, unixSeconds(clock()), createNonce()),
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
}
