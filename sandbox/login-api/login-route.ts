import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { maskOpenid } from '../../src/wechatpay-sdk';
import { generateAlphanumeric } from '../pay-api/generate-wechat-ids';
import { deriveOpenid, travelerOfCode } from './openid-from-code';
import type { SandboxContext } from '../sandbox-context';
import type { LoginHandler } from '../pay-api/serve-wechat-call';

interface LoginError {
  errcode: number;
  errmsg: string;
}

/** The login API answers errors with HTTP 200 and `{errcode, errmsg}`, the message ending in a request id. */
function loginError(errcode: number, message: string): LoginError {
  return { errcode, errmsg: `${message}, rid: ${generateAlphanumeric(8).toLowerCase()}-${generateAlphanumeric(8).toLowerCase()}` };
}

function readQuery(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://sandbox').searchParams;
}

function findLoginProblem(ctx: SandboxContext, query: URLSearchParams): LoginError | undefined {
  const code = query.get('js_code');
  if (query.get('appid') !== ctx.credentials.appId) return loginError(40013, 'invalid appid');
  if (query.get('secret') !== ctx.credentials.appSecret) return loginError(40125, 'invalid appsecret');
  if (query.get('grant_type') !== 'authorization_code') return loginError(40002, 'invalid grant_type');
  if (!code) return loginError(41008, 'missing code');
  if (code.length > 128 || /\s/.test(code)) return loginError(40029, 'invalid code');
  if (ctx.usedLoginCodes.has(code)) return loginError(40163, 'code been used');
  return undefined;
}

/**
 * `GET /sns/jscode2session` (auth.code2Session). Every fresh js_code is accepted once; its traveler (see
 * `travelerOfCode`) decides the openid, so `alice-1` then `alice-2` log in the same openid twice.
 */
export function handleCodeToSession(ctx: SandboxContext): LoginHandler {
  return (req) => {
    const query = readQuery(req);
    const problem = findLoginProblem(ctx, query);
    if (problem) return problem;
    const code = query.get('js_code') as string;
    ctx.usedLoginCodes.add(code);
    const openid = deriveOpenid(ctx.credentials.appId, travelerOfCode(code));
    ctx.logger?.info({ openid: maskOpenid(openid) }, 'sandbox exchanged a login code');
    return { session_key: randomBytes(16).toString('base64'), openid };
  };
}
