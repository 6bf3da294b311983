/**
 * A WeChat Pay API v3 SDK, laid out like the official wechatpay-go: `core/` (credentials and signer, verifiers,
 * AES-GCM, notifications, HTTP transport with retries, errors) and `services/` (one folder per product, and the
 * platform certificate download).
 * It imports nothing from the application around it; logging and metrics come in through `SdkHooks`.
 */
export { createMerchantSigner, USER_AGENT, type MerchantCredentials, type SignableRequest, type WechatPaySigner } from './core/auth/merchant-signer';
export {
  createVerificationKeys,
  requestedPublicKeyId,
  verifyWechatPaySignature,
  MAX_CLOCK_SKEW_SECONDS,
  type SignatureRejectionReason,
  type SignatureVerification,
  type VerificationKeyKind,
  type VerificationKeySources,
  type WechatPayVerificationKeys,
} from './core/auth/verifier';
export * from './core/auth/signature';
export { formatAuthorization, parseAuthorization, AUTHORIZATION_SCHEME, type AuthorizationFields } from './core/auth/authorization-header';
export { decryptAes256Gcm, encryptAes256Gcm, DecryptionError } from './core/cipher/aes-gcm';
export {
  parseWechatPayNotification,
  type NotificationRejectionReason,
  type ParsedWechatPayNotification,
  type WechatPayNotificationEnvelope,
} from './core/notify/parse-notification';
export { openWechatPayNotification, type OpenedNotification, type WechatPayNotificationInput } from './core/notify/open-notification';
export { DEFAULT_RETRY_POLICY, worstCaseCallMs, type RetryPolicy } from './core/transport/retry';
export { readHeader, type WechatPayHeaders } from './core/transport/headers';
export * from './core/errors';
export { formatBeijingTime, formatCompactBeijingTime } from './core/beijing-time';
export { maskOpenid, type CallOutcome, type SdkHooks, type SdkLogger } from './core/hooks';
export { createJsapiService, type JsapiServiceOptions } from './services/jsapi/jsapi-service';
export type { JsapiPrepayRequest, JsapiService, MiniProgramPayment, WechatTradeState, WechatTransaction } from './services/jsapi/jsapi-types';
export { parseWechatTransaction } from './services/jsapi/parse-transaction';
export { buildMiniProgramPayment } from './services/jsapi/mini-program-payment';
export { createRefundService, type RefundServiceOptions } from './services/refund/refund-service';
export type { RefundRequest, RefundService, WechatRefund, WechatRefundNotice, WechatRefundStatus } from './services/refund/refund-types';
export { parseWechatRefund, parseWechatRefundNotice, REFUND_STATUSES } from './services/refund/parse-refund';
export { classifyRefundFailure, isRefundNotFound, type RefundFailureKind } from './services/refund/refund-errors';
export {
  parseWechatPayRefundNotification,
  REFUND_EVENT_TYPES,
  type ParsedRefundNotification,
  type RefundEventType,
} from './services/refund/parse-refund-notification';
export { createCertificatesService, type CertificatesService, type CertificatesServiceOptions } from './services/certificates/certificates-service';
export type { PlatformCertificate } from './services/certificates/read-platform-certificates';
export type { WechatPayServiceOptions } from './core/transport/service-call';
