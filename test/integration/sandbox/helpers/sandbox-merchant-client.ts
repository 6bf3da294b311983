import type { KeyLike } from 'node:crypto';
import { formatAuthorization } from '../../../../src/wechatpay-sdk/core/auth/authorization-header';
import { createNonce, requestSignatureMessage, signSha256WithRsa, unixSeconds } from '../../../../src/wechatpay-sdk/core/auth/signature';
import type { RunningSandbox, SandboxCredentials } from '../../../../sandbox';

export interface WechatPayCall {
  method: 'GET' | 'POST';
  /** Path with query, e.g. `/v3/pay/transactions/out-trade-no/X?mchid=…`. */
  path: string;
  /** Sent exactly as given when a string; objects are serialised once and that string is signed. */
  body?: string | object;
  /** Deliberate mistakes, to see the sandbox refuse them. */
  tamper?: {
    omitAuthorization?: boolean;
    serialNo?: string;
    mchid?: string;
    privateKey?: KeyLike;
    timestamp?: string;
    /** Signs this body but sends the real one. */
    signedBody?: string;
    /** Signs this path (with query) but requests the real one. */
    signedPath?: string;
  };
  /** Extra headers; `undefined` removes one the client would send. */
  headers?: Record<string, string | undefined>;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface WechatPayAnswer {
  status: number;
  headers: Headers;
  rawBody: string;
  json: <T = Record<string, unknown>>() => T;
}

/** A tiny merchant client built on the protocol primitives only (the production client is not used here on purpose). */
export async function callWechatPay(sandbox: RunningSandbox, credentials: SandboxCredentials, call: WechatPayCall): Promise<WechatPayAnswer> {
  const body = call.body === undefined ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const tamper = call.tamper ?? {};
  const timestamp = tamper.timestamp ?? unixSeconds((call.now ?? (() => new Date()))());
  const nonce = createNonce();
  const signature = signSha256WithRsa(
    requestSignatureMessage(call.method, tamper.signedPath ?? call.path, timestamp, nonce, tamper.signedBody ?? body),
    tamper.privateKey ?? credentials.merchant.privateKeyPem,
  );
  const authorization = formatAuthorization({
    mchid: tamper.mchid ?? credentials.mchId,
    nonce_str: nonce,
    timestamp,
    serial_no: tamper.serialNo ?? credentials.merchant.serialNo,
    signature,
  });
  const headers: Record<string, string | undefined> = {
    Accept: 'application/json',
    'User-Agent': 'sandbox-test-client',
    'Wechatpay-Serial': credentials.wechatPayPublicKey.id,
    ...(body ? { 'Content-Type': 'application/json' } : {}),
    ...(tamper.omitAuthorization ? {} : { Authorization: authorization }),
    ...call.headers,
  };
  const sent = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${sandbox.url}${call.path}`, { method: call.method, headers: sent, body: body || undefined, signal: call.signal });
  const rawBody = await response.text();
  return { status: response.status, headers: response.headers, rawBody, json: <T>() => JSON.parse(rawBody) as T };
}
