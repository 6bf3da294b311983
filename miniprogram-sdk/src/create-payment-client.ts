import { createAuthSession } from './auth-session';
import { createOrder, type CreateOrderInput } from './create-order';
import { payOrder, type PayOrderOptions } from './pay-order';
import { wxRequestPayment, type RequestPayment } from './request-payment';
import type { RetryPolicy } from './retry-transient';
import { memoryStorage, type TokenStorage, type WxLike } from './wx-like';

export interface PaymentClientOptions {
  /** The API's HTTPS origin, e.g. https://pay.example.com (must be in the mini program's request domains). */
  baseUrl: string;
  /** `wx` in a mini program; a shim in tests. */
  wx: WxLike;
  /** Where the token lives: `wxStorage(wx)` to survive restarts; in memory by default. */
  storage?: TokenStorage;
  /** Replaces wx.requestPayment, e.g. `sandboxRequestPayment(...)` against a sandbox server. */
  requestPayment?: RequestPayment;
  /** wx.request timeout per call (default 10 s). */
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
}

export function createPaymentClient(options: PaymentClientOptions) {
  const auth = createAuthSession({
    wx: options.wx,
    baseUrl: options.baseUrl,
    storage: options.storage ?? memoryStorage(),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
  });
  const deps = { auth, requestPayment: options.requestPayment ?? wxRequestPayment(options.wx), retry: options.retry };
  return {
    /** wx.login, then POST /auth/wechat/login; the token is stored. Other calls log in by themselves when needed. */
    login: (): Promise<void> => auth.login().then(() => undefined),
    logout: auth.logout,
    /** POST /orders with a fresh Idempotency-Key (kept across retries). Rejects with a PaymentApiError. */
    createOrder: (input: CreateOrderInput) => createOrder(auth, input, options.retry),
    /** Session → wx.requestPayment → status. Resolves with a tagged PayResult; never rejects for API problems. */
    payOrder: (orderId: string, payOptions?: PayOrderOptions) => payOrder(deps, orderId, payOptions),
  };
}

export type PaymentClient = ReturnType<typeof createPaymentClient>;
