import { WechatPayApiError, WechatPayVerificationError } from '../errors';
import { verifyWechatPaySignature, type WechatPayVerificationKeys } from '../auth/verifier';

/** An HTTP answer as received: headers and the raw body bytes, before anything parses them. */
export interface RawWechatPayResponse {
  status: number;
  headers: Headers;
  rawBody: Buffer;
  requestId?: string;
}

interface ErrorEnvelope {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

function readErrorEnvelope(rawBody: Buffer): ErrorEnvelope {
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as ErrorEnvelope) : {};
  } catch {
    return {};
  }
}

function toApiError(operation: string, response: RawWechatPayResponse, keys: WechatPayVerificationKeys, now: Date): WechatPayApiError {
  const envelope = readErrorEnvelope(response.rawBody);
  const code = typeof envelope.code === 'string' ? envelope.code : undefined;
  const message = typeof envelope.message === 'string' ? envelope.message : `HTTP ${response.status}`;
  // Checked for the record only (the doctor reports it); an error answer never proves anything either way.
  const signature = response.headers.get('Wechatpay-Signature') ? verifyWechatPaySignature(keys, response.headers, response.rawBody, now) : undefined;
  return new WechatPayApiError(operation, response.status, code, message, response.requestId, envelope.detail, signature);
}

/**
 * A 2xx answer counts only once its signature verifies ("没有携带签名的成功应答…应认为是伪造"), 204 included.
 * Other answers may be unsigned: they become a WechatPayApiError, which classifies the failure and nothing more.
 */
export function checkWechatPayResponse(operation: string, response: RawWechatPayResponse, keys: WechatPayVerificationKeys, now: Date): void {
  if (response.status < 200 || response.status >= 300) throw toApiError(operation, response, keys, now);
  const verification = verifyWechatPaySignature(keys, response.headers, response.rawBody, now);
  if (!verification.ok) {
    throw new WechatPayVerificationError(operation, verification.reason, verification.detail, response.requestId, response.status);
  }
}
