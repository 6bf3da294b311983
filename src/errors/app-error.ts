/** A failure the client may branch on: a stable `code`, the HTTP status, and a message safe to show. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const orderNotFound = () => new AppError(404, 'ORDER_NOT_FOUND', 'Order not found', 'No such order.');
export const orderAlreadyPaid = () => new AppError(409, 'ORDER_ALREADY_PAID', 'Order already paid', 'This order has already been paid.');
export const orderExpired = () => new AppError(409, 'ORDER_EXPIRED', 'Order expired', 'The seat lock of this order has expired or ends too soon to pay.');
export const orderCancelled = () => new AppError(409, 'ORDER_CANCELLED', 'Order cancelled', 'This order is cancelled.');
export const orderFailed = () => new AppError(409, 'ORDER_FAILED', 'Order failed', 'The payment of this order failed.');
export const paymentInProgress = (retryAfterSeconds: number) =>
  new AppError(409, 'PAYMENT_IN_PROGRESS', 'Payment session in progress', 'Another request for this order is being processed.', {
    'Retry-After': String(retryAfterSeconds),
  });
export const openidMismatch = () => new AppError(403, 'OPENID_MISMATCH', 'Openid mismatch', 'The openid does not belong to the logged-in traveler.');
export const unauthorized = (detail = 'A valid bearer token is required.') => new AppError(401, 'UNAUTHORIZED', 'Unauthorized', detail);
export const wechatLoginFailed = () =>
  new AppError(401, 'WECHAT_LOGIN_FAILED', 'WeChat login failed', 'The wx.login code is invalid, expired or already used.');
export const idempotencyKeyReused = () =>
  new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency key reused', 'This Idempotency-Key was used with a different request body.');
export const invalidDescription = () =>
  new AppError(400, 'VALIDATION_FAILED', 'Validation failed', 'description must not contain emoji or other 4-byte characters (a WeChat Pay rule).');
export const rateLimited = (retryAfterSeconds: number, detail: string) =>
  new AppError(429, 'RATE_LIMITED', 'Too many requests', detail, { 'Retry-After': String(retryAfterSeconds) });
export const wechatUnavailable = () => new AppError(502, 'WECHAT_UNAVAILABLE', 'WeChat unavailable', 'WeChat could not complete the request. Try again.');
export const wechatTimeout = () => new AppError(504, 'WECHAT_TIMEOUT', 'WeChat timeout', 'WeChat did not answer in time. Try again.');
export const databaseUnavailable = (retryAfterSeconds: number) =>
  new AppError(503, 'DATABASE_UNAVAILABLE', 'Service unavailable', 'The service cannot reach its database. Try again shortly.', {
    'Retry-After': String(retryAfterSeconds),
  });
