import type { Request, RequestHandler, Response } from 'express';
import type { RecordedCall } from '../control-api/call-log';
import { InvalidRequest } from './check-json-fields';
import type { FaultEffect } from './faults';
import type { SandboxContext } from '../sandbox-context';
import { replyError, sendWechatPayReply, type WechatPayReply } from './wechat-pay-reply';

export type WechatPayHandler = (req: Request) => WechatPayReply;
export type LoginHandler = (req: Request) => unknown;

export function readRawBody(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

export function readRequestPath(req: Request): string {
  return req.originalUrl.split('?', 1)[0] ?? '';
}

function describeFault(effect: FaultEffect): string {
  if (effect.kind === 'status') return `status ${effect.status} ${effect.code}`;
  if (effect.kind === 'delay') return `delay ${effect.delayMs}ms`;
  return effect.kind === 'drop' ? 'drop' : effect.fault;
}

function takeFault(ctx: SandboxContext, req: Request, res: Response): FaultEffect | undefined {
  const fault = ctx.faults.take(req.method, readRequestPath(req));
  const call = res.locals.call as RecordedCall | undefined;
  if (fault && call) call.fault = describeFault(fault);
  return fault;
}

/** Drop and delay faults act after processing: the request reached WeChat, only the answer is lost or late. */
function deliver(ctx: SandboxContext, req: Request, fault: FaultEffect | undefined, send: () => void): void {
  if (fault?.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'delay') ctx.timers.schedule(fault.delayMs, send);
  else send();
}

function runHandler(handle: WechatPayHandler, req: Request): WechatPayReply {
  try {
    return handle(req);
  } catch (error) {
    if (error instanceof InvalidRequest) return error.reply;
    throw error;
  }
}

/**
 * Runs a /v3 handler under whatever fault is armed for the call. A status fault answers instead of processing
 * (nothing is stored); the other faults let the call be processed, then spoil, delay or drop the answer.
 */
export function serveWechatPayCall(ctx: SandboxContext, handle: WechatPayHandler): RequestHandler {
  return (req, res) => {
    const fault = takeFault(ctx, req, res);
    const signing = { signer: ctx.signer, requestedSerial: req.get('Wechatpay-Serial') };
    if (fault?.kind === 'status') {
      sendWechatPayReply(res, replyError(fault.status, fault.code, fault.message), { ...signing, unsigned: fault.unsigned });
      return;
    }
    const reply = runHandler(handle, req);
    const signatureFault = fault?.kind === 'signature' ? fault.fault : undefined;
    deliver(ctx, req, fault, () => sendWechatPayReply(res, reply, { ...signing, signatureFault }));
  };
}

/** The login API (`/sns`) is unsigned; a status fault answers `{errcode:-1}` with that status; signature faults do nothing. */
export function serveLoginCall(ctx: SandboxContext, handle: LoginHandler): RequestHandler {
  return (req, res) => {
    const fault = takeFault(ctx, req, res);
    if (fault?.kind === 'status') {
      res.status(fault.status).json({ errcode: -1, errmsg: `system error: ${fault.message}` });
      return;
    }
    const body = handle(req);
    deliver(ctx, req, fault, () => res.status(200).json(body));
  };
}
