import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { parseAuthorization } from '../../src/wechatpay-sdk';
import { requestSignatureMessage, verifySha256WithRsa } from '../../src/wechatpay-sdk';
import type { SandboxContext } from '../sandbox-context';
import { readRawBody, readRequestPath } from './serve-wechat-call';
import { replyError, sendWechatPayReply, type ErrorDetail } from './wechat-pay-reply';

/** 268443699: signature errors, including a timestamp outside the window. */
const SIGN_ERROR_NUMBER = 268443699;
const MAX_CLOCK_SKEW_SECONDS = 300;

interface SignatureProblem {
  message: string;
  detail: ErrorDetail;
}

function checkAuthorization(ctx: SandboxContext, merchantKeys: ReadonlyMap<string, KeyObject>, req: Request): SignatureProblem | undefined {
  const fields = parseAuthorization(req.get('Authorization'));
  if (!fields)
    return {
      message: 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》',
      detail: { field: 'Authorization', location: 'authorization', issue: 'missing or malformed WECHATPAY2-SHA256-RSA2048 header' },
    };
  if (fields.mchid !== ctx.credentials.mchId)
    return {
      message: 'Http头Authorization中的mchid与商户不匹配',
      detail: { field: 'mchid', value: fields.mchid, location: 'authorization', issue: 'unknown mchid' },
    };
  const merchantKey = merchantKeys.get(fields.serial_no);
  if (!merchantKey) {
    return {
      message: '商户证书序列号有误。请使用签名私钥匹配的证书序列号',
      detail: { field: 'serial_no', value: fields.serial_no, location: 'authorization', issue: 'not the serial of the merchant API certificate' },
    };
  }
  const skew = Math.abs(Math.floor(ctx.clock().getTime() / 1000) - Number(fields.timestamp));
  if (!/^\d{1,12}$/.test(fields.timestamp) || skew > MAX_CLOCK_SKEW_SECONDS) {
    return {
      message: '签名中的时间戳已过期或不合法，请检查服务器时间',
      detail: { field: 'timestamp', value: fields.timestamp, location: 'authorization', issue: 'timestamp is more than 5 minutes away from WeChat Pay time' },
    };
  }
  const message = requestSignatureMessage(req.method, req.originalUrl, fields.timestamp, fields.nonce_str, readRawBody(req));
  if (verifySha256WithRsa(message, fields.signature, merchantKey)) return undefined;
  return {
    message: '错误的签名，验签失败',
    detail: {
      field: 'signature',
      location: 'authorization',
      issue: 'sign not match',
      // what WeChat computed, so a merchant can diff it with what it signed
      sign_information: { method: req.method, url: req.originalUrl, sign_message_length: message.length, truncated_sign_message: message.slice(0, 300) },
    },
  };
}

/**
 * Every /v3 call must carry a valid merchant `Authorization`, else 401 SIGN_ERROR (signed like any answer). During a
 * certificate change WeChat accepts either merchant certificate, each with its own key.
 */
export function verifyMerchantRequest(ctx: SandboxContext): RequestHandler {
  const certificates = [ctx.credentials.merchant, ...(ctx.credentials.rotated ? [ctx.credentials.rotated.merchant] : [])];
  const merchantKeys = new Map(certificates.map((certificate) => [certificate.serialNo, createPublicKey(certificate.certificatePem)]));
  return (req, res, next) => {
    const problem = checkAuthorization(ctx, merchantKeys, req);
    if (!problem) {
      next();
      return;
    }
    ctx.logger?.warn({ method: req.method, path: readRequestPath(req), issue: problem.detail.issue }, 'sandbox refused a merchant signature');
    sendWechatPayReply(res, replyError(401, 'SIGN_ERROR', problem.message, { detail: problem.detail, errorNumber: SIGN_ERROR_NUMBER }), {
      signer: ctx.signer,
      requestedSerial: req.get('Wechatpay-Serial'),
    });
  };
}
