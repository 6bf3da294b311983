import type { WechatTradeState, WechatTransaction } from './jsapi-types';

const TRADE_STATES: readonly WechatTradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR', 'ACCEPT'];

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);
const isString = (value: unknown) => typeof value === 'string';
const isAmount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value);

function isPayer(value: unknown): boolean {
  return isFields(value) && isString(value.openid);
}

function isTransactionAmount(value: unknown): boolean {
  return isFields(value) && isAmount(value.total) && isString(value.currency) && isOptional(value.payer_total, isAmount);
}

/**
 * Checks the fields the domain reads (query answer and decrypted notification share this shape); extra fields
 * such as bank_type or promotion_detail pass through. Returns undefined for anything else.
 */
export function parseWechatTransaction(value: unknown): WechatTransaction | undefined {
  if (!isFields(value)) return undefined;
  const valid =
    isString(value.appid) &&
    isString(value.mchid) &&
    isString(value.out_trade_no) &&
    TRADE_STATES.includes(value.trade_state as WechatTradeState) &&
    isOptional(value.transaction_id, isString) &&
    isOptional(value.success_time, isString) &&
    isOptional(value.payer, isPayer) &&
    isOptional(value.amount, isTransactionAmount);
  return valid ? (value as unknown as WechatTransaction) : undefined;
}
