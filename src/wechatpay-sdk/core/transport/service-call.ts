import type { WechatPaySigner } from '../auth/merchant-signer';
import { requestedPublicKeyId, type WechatPayVerificationKeys } from '../auth/verifier';
import type { SdkHooks } from '../hooks';
import { WechatPayHttpTransport, type WechatPayHttpRequest } from './http-transport';
import { DEFAULT_RETRY_POLICY, retryWechatPayCall, sleep, type RetryPolicy } from './retry';

/** Built objects, not PEMs (like wechatpay-go's `DialSettings`): the caller parses its keys once. */
export interface WechatPayServiceOptions {
  /** `https://api.mch.weixin.qq.com`, or a server that speaks the same protocol. */
  baseUrl: string;
  signer: WechatPaySigner;
  keys: WechatPayVerificationKeys;
  /** Timeout of each HTTP exchange. */
  timeoutMs: number;
  clock?: () => Date;
  /** Default: 2 retries, 200 ms then 400 ms. */
  retry?: RetryPolicy;
  /** Tests pass a no-op to skip the backoff. */
  wait?: (ms: number) => Promise<void>;
  hooks?: SdkHooks;
}

/**
 * A service's one way to WeChat Pay: signed, a 2xx counted only once its signature verifies, and the identical
 * request re-sent on 429, transient 5xx and resets, each attempt numbered in the log context.
 */
export function createServiceCall(options: WechatPayServiceOptions) {
  const transport = new WechatPayHttpTransport({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    signer: options.signer,
    keys: options.keys,
    wechatPayPublicKeyId: requestedPublicKeyId(options.keys),
    clock: options.clock ?? (() => new Date()),
    hooks: options.hooks,
  });
  return (request: WechatPayHttpRequest) =>
    retryWechatPayCall(
      (attempt) => transport.send({ ...request, logContext: { ...request.logContext, attempt } }),
      options.retry ?? DEFAULT_RETRY_POLICY,
      options.wait ?? sleep,
    );
}
