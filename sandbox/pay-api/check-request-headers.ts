import type { Request, RequestHandler } from 'express';
import type { SandboxContext } from '../sandbox-context';
import { readRawBody } from './serve-wechat-call';
import { replyError, sendWechatPayReply } from './wechat-pay-reply';

function findHeaderProblem(ctx: SandboxContext, req: Request): { field: string; issue: string } | undefined {
  const accept = req.get('Accept');
  if (!accept || !/application\/json|application\/\*|\*\/\*/.test(accept)) return { field: 'Accept', issue: 'the API rules require Accept: application/json' };
  if (readRawBody(req) && !req.is('application/json')) return { field: 'Content-Type', issue: 'the API rules require Content-Type: application/json' };
  // Wechatpay-Serial names the WeChat Pay key the merchant holds (PUB_KEY_ID_… or a platform certificate serial)
  const serial = req.get('Wechatpay-Serial');
  const { wechatPayPublicKey, rotated } = ctx.credentials;
  const known = [
    wechatPayPublicKey.id,
    ...(rotated ? [rotated.wechatPayPublicKey.id] : []),
    ...ctx.platformCertificates.map((certificate) => certificate.serialNo),
  ];
  if (serial !== undefined && !known.includes(serial))
    return { field: 'Wechatpay-Serial', issue: 'neither the WeChat Pay public key id nor a platform certificate serial of this merchant' };
  return undefined;
}

/** The header rules of the v3 basic rules, checked once the signature is known good. */
export function checkRequestHeaders(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    const problem = findHeaderProblem(ctx, req);
    if (!problem) {
      next();
      return;
    }
    const reply = replyError(400, 'PARAM_ERROR', `HTTP头${problem.field}无效`, {
      detail: { ...problem, value: req.get(problem.field), location: 'header' },
      errorNumber: 268435461,
    });
    sendWechatPayReply(res, reply, { signer: ctx.signer });
  };
}
