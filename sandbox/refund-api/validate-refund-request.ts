import { failParameter, parseJsonObject, readObject, readString, rejectNulls } from '../pay-api/check-json-fields';
import { checkNotifyUrl } from '../pay-api/validate-prepay-request';
import type { RefundApplication } from './refunds-store';

const ALLOWED_FIELDS = new Set(['transaction_id', 'out_trade_no', 'out_refund_no', 'reason', 'notify_url', 'funds_account', 'amount', 'goods_detail']);
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;

function readFen(amount: Record<string, unknown>, key: 'refund' | 'total'): number {
  const value = amount[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    failParameter(`/amount/${key}`, value, 'must be an integer number of fen, at least 1');
  return value;
}

function readAmount(body: Record<string, unknown>): RefundApplication['amount'] {
  const amount = readObject(body, 'amount', '/amount', true);
  const currency = readString(amount, 'currency', '/amount/currency', { required: true, maxLength: 16 });
  if (currency !== 'CNY') failParameter('/amount/currency', currency, 'must be CNY');
  const refund = readFen(amount, 'refund');
  const total = readFen(amount, 'total');
  if (refund > total) failParameter('/amount/refund', refund, 'must not exceed amount.total');
  return { refund, total, currency };
}

/** Checks a refund application as WeChat Pay does; throws InvalidRequest carrying the 400 reply. */
export function validateRefundRequest(raw: string): RefundApplication {
  const body = parseJsonObject(raw);
  rejectNulls(body);
  const unknown = Object.keys(body).find((key) => !ALLOWED_FIELDS.has(key));
  if (unknown !== undefined) failParameter(`/${unknown}`, body[unknown], 'is not a parameter of this API');
  const application: RefundApplication = {
    transaction_id: readString(body, 'transaction_id', '/transaction_id', { required: false, maxLength: 32 }),
    out_trade_no: readString(body, 'out_trade_no', '/out_trade_no', { required: false, maxLength: 32, minLength: 6, pattern: OUT_TRADE_NO }),
    out_refund_no: readString(body, 'out_refund_no', '/out_refund_no', { required: true, maxLength: 64, pattern: OUT_REFUND_NO }),
    reason: readString(body, 'reason', '/reason', { required: false, maxLength: 80 }),
    notify_url: readString(body, 'notify_url', '/notify_url', { required: false, maxLength: 256 }),
    funds_account: readString(body, 'funds_account', '/funds_account', { required: false, maxLength: 32 }),
    amount: readAmount(body),
  };
  if (!application.transaction_id && !application.out_trade_no) failParameter('/out_trade_no', undefined, 'transaction_id or out_trade_no is required');
  // reason: at most 80 bytes, counted in UTF-8 (3 per Chinese character)
  if (application.reason !== undefined && Buffer.byteLength(application.reason) > 80) failParameter('/reason', application.reason, 'must be at most 80 bytes');
  if (application.notify_url !== undefined) checkNotifyUrl(application.notify_url);
  return application;
}
