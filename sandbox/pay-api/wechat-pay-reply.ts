import type { Response } from 'express';
import { generateRequestId } from './generate-wechat-ids';
import type { ResponseSigner, SignatureFault } from './sign-sandbox-response';

/** What a /v3 handler decides; sending (signature, Request-ID, faults) is done in one place. */
export interface WechatPayReply {
  status: number;
  body?: unknown;
  /** Numeric error code WeChat appends to `Request-ID` (e.g. 268498688); 0 on success. */
  errorNumber?: number;
}

export interface ErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: 'body' | 'query' | 'path' | 'header' | 'authorization';
  [extra: string]: unknown;
}

export function replyOk(body?: unknown): WechatPayReply {
  return { status: body === undefined ? 204 : 200, body };
}

/** The v3 error envelope `{code, message, detail?}`. */
export function replyError(status: number, code: string, message: string, options: { detail?: ErrorDetail; errorNumber?: number } = {}): WechatPayReply {
  return { status, body: { code, message, ...(options.detail ? { detail: options.detail } : {}) }, errorNumber: options.errorNumber };
}

export interface SendOptions {
  signer: ResponseSigner;
  requestedSerial?: string;
  signatureFault?: SignatureFault;
  unsigned?: boolean;
}

/** Serialises once and signs exactly the bytes sent; every answer, errors included, carries a Request-ID. */
export function sendWechatPayReply(res: Response, reply: WechatPayReply, options: SendOptions): void {
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.status(reply.status);
  res.setHeader('Request-ID', generateRequestId(reply.errorNumber));
  if (body) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (!options.unsigned) {
    const headers = options.signer.sign(body, { requestedSerial: options.requestedSerial, fault: options.signatureFault });
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  }
  res.end(body);
}
