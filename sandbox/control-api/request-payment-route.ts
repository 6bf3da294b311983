import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import { paySignMessage, verifySha256WithRsa } from '../../src/wechatpay-sdk';
import type { SandboxContext } from '../sandbox-context';
import type { SandboxTransaction } from '../pay-api/transactions-store';

type RequestPaymentAnswer = { status: number; errMsg: string };

const PARAMETERS = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

const fail = (reason: string): RequestPaymentAnswer => ({ status: 400, errMsg: `requestPayment:fail ${reason}` });

function typeName(value: unknown): string {
  if (value === null) return 'Null';
  const name = typeof value;
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** wx.requestPayment refuses non-string parameters with this exact wording (a number timeStamp is the classic trap). */
function checkParameterTypes(body: Record<string, unknown>): RequestPaymentAnswer | undefined {
  const wrong = PARAMETERS.find((name) => typeof body[name] !== 'string');
  if (wrong) return fail(`parameter error: parameter.${wrong} should be String instead of ${typeName(body[wrong])};`);
  if (!/^\d{10}$/.test(body.timeStamp as string)) return fail('parameter error: timeStamp must be a string of 10 digits (seconds)');
  if ((body.nonceStr as string).length > 32) return fail('parameter error: nonceStr must be at most 32 characters');
  if (body.signType !== 'RSA') return fail('支付验证签名失败 (signType must be RSA for APIv3)');
  return undefined;
}

/** The order behind a prepay_id, if it can still be paid; otherwise the failure the client shows. */
function findPayableTransaction(ctx: SandboxContext, prepayId: string, now: Date): SandboxTransaction | RequestPaymentAnswer {
  const transaction = ctx.store.findByPrepayId(prepayId, now);
  if (!transaction) return fail('prepay_id不存在');
  if (transaction.state === 'SUCCESS' || transaction.state === 'REFUND') return fail('该订单已支付');
  if (transaction.state === 'CLOSED') return fail('订单已关闭或已过期');
  if (transaction.state === 'PAYERROR') return fail('支付失败，请重新下单支付');
  if (!ctx.store.isPrepayIdLive(transaction, prepayId, now)) return fail('prepay_id已失效 (older than 2 hours)');
  return transaction;
}

/** What the WeChat client does on `wx.requestPayment`, up to the user's choice: verify paySign, then check the order. */
function requestPayment(ctx: SandboxContext, body: Record<string, unknown>, merchantKeys: readonly KeyObject[]): RequestPaymentAnswer {
  const typeProblem = checkParameterTypes(body);
  if (typeProblem) return typeProblem;
  if (body.appId !== undefined && body.appId !== ctx.credentials.appId) return fail('appId与小程序不一致');
  const packageValue = body.package as string;
  const message = paySignMessage(ctx.credentials.appId, body.timeStamp as string, body.nonceStr as string, packageValue);
  if (!merchantKeys.some((key) => verifySha256WithRsa(message, body.paySign as string, key))) return fail('支付验证签名失败');
  const prepayId = /^prepay_id=(.+)$/.exec(packageValue)?.[1];
  if (!prepayId) return fail('package must be prepay_id=…');
  const now = ctx.clock();
  const transaction = findPayableTransaction(ctx, prepayId, now);
  if ('errMsg' in transaction) return transaction;
  if (body.result === 'cancel') return fail('cancel');
  if (body.result === 'fail') return fail('支付失败');
  if (body.result === 'payerror') {
    ctx.store.markPayError(transaction);
    return fail('支付失败 (PAYERROR)');
  }
  ctx.store.markPaid(transaction, now);
  if (body.notify === 'drop') ctx.notifications.dropSuccess(transaction);
  else ctx.notifications.notifySuccess(transaction);
  return { status: 200, errMsg: 'requestPayment:ok' };
}

/**
 * `POST /sandbox/request-payment` with the object passed to wx.requestPayment (+ optional `result`: success, cancel,
 * fail, payerror; + optional `notify`: send, or drop for a payment whose notification WeChat never delivers):
 * 200 `{errMsg:"requestPayment:ok"}` exactly when the success callback would run, else 400 with the fail errMsg.
 */
export function handleRequestPayment(ctx: SandboxContext): RequestHandler {
  // During a certificate change either merchant certificate's key may sign paySign.
  const { merchant, rotated } = ctx.credentials;
  const merchantKeys = [merchant, ...(rotated ? [rotated.merchant] : [])].map((certificate) => createPublicKey(certificate.certificatePem));
  return (req, res) => {
    const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    if (body.result !== undefined && !['success', 'cancel', 'fail', 'payerror'].includes(body.result as string)) {
      res.status(400).json({ errMsg: 'requestPayment:fail sandbox: result must be success, cancel, fail or payerror' });
      return;
    }
    if (body.notify !== undefined && body.notify !== 'send' && body.notify !== 'drop') {
      res.status(400).json({ errMsg: 'requestPayment:fail sandbox: notify must be send or drop' });
      return;
    }
    const answer = requestPayment(ctx, body, merchantKeys);
    ctx.logger?.info({ package: body.package, result: body.result ?? 'success', errMsg: answer.errMsg }, 'sandbox requestPayment');
    res.status(answer.status).json({ errMsg: answer.errMsg });
  };
}
