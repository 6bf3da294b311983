/**
 * The error codes WeChat Pay v3 documents for the calls we make (prepay, query, close), in every spelling its
 * documentation generations use (SYSTEM_ERROR / SYSTEMERROR, ORDER_PAID / ORDERPAID…). A metric label is one
 * of these, verbatim, or OTHER: a code WeChat invents later cannot grow the label set without bound.
 */
const DOCUMENTED_CODES = new Set([
  'PARAM_ERROR',
  'INVALID_REQUEST',
  'ORDER_CLOSED',
  'ORDERCLOSED',
  'MCH_NOT_EXISTS',
  'APPID_MCHID_NOT_MATCH',
  'SIGN_ERROR',
  'NO_AUTH',
  'NOAUTH',
  'TRADE_ERROR',
  'RULE_LIMIT',
  'RULELIMIT',
  'OUT_TRADE_NO_USED',
  'NOT_ENOUGH',
  'NOTENOUGH',
  'ACCOUNT_ERROR',
  'ORDERPAID',
  'ORDER_PAID',
  'ORDER_NOT_EXIST',
  'ORDERNOTEXIST',
  'RATELIMIT_EXCEEDED',
  'FREQUENCY_LIMITED',
  'SYSTEM_ERROR',
  'SYSTEMERROR',
  'BANK_ERROR',
  'BANKERROR',
  'OPENID_MISMATCH',
  'INVALID_TRANSACTIONID',
  'SERVICE_UNAVAILABLE',
]);

export function documentedCodeOrOther(code: string | undefined): string {
  return code !== undefined && DOCUMENTED_CODES.has(code) ? code : 'OTHER';
}
