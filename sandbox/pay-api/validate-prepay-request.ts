import { InvalidRequest, failParameter, parseJsonObject, readObject, readString, rejectNulls } from './check-json-fields';
import { isOpenidOfApp } from '../login-api/openid-from-code';
import type { SandboxCredentials } from '../credentials/sandbox-credentials';
import type { PrepayOrder } from './transactions-store';
import { replyError } from './wechat-pay-reply';

const ALLOWED_FIELDS = new Set([
  'appid',
  'mchid',
  'description',
  'out_trade_no',
  'time_expire',
  'attach',
  'notify_url',
  'goods_tag',
  'support_fapiao',
  'amount',
  'payer',
  'detail',
  'scene_info',
  'settle_info',
]);
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** WeChat requires a public HTTPS URL without query; the sandbox also accepts plain HTTP on loopback, where tests listen. */
export function checkNotifyUrl(value: string): void {
  if (!URL.canParse(value)) failParameter('/notify_url', value, 'must be an absolute URL');
  const url = new URL(value);
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!allowed) failParameter('/notify_url', value, 'must be an https URL (http is accepted for loopback hosts only)');
  if (value.includes('?')) failParameter('/notify_url', value, 'must not carry a query string');
}

function checkTimeExpire(value: string | undefined): void {
  if (value !== undefined && (!RFC_3339.test(value) || Number.isNaN(Date.parse(value))))
    failParameter('/time_expire', value, 'must be an RFC 3339 time such as 2018-06-08T10:34:56+08:00');
}

function readAmount(body: Record<string, unknown>): PrepayOrder['amount'] {
  const amount = readObject(body, 'amount', '/amount', true);
  const total = amount.total;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) failParameter('/amount/total', total, 'must be an integer number of fen, at least 1');
  const currency = readString(amount, 'currency', '/amount/currency', { required: false, maxLength: 16 }) ?? 'CNY';
  if (currency !== 'CNY') failParameter('/amount/currency', currency, 'must be CNY');
  return { total, currency };
}

function checkParties(order: PrepayOrder, credentials: SandboxCredentials): void {
  if (order.appid !== credentials.appId)
    throw new InvalidRequest(replyError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配，请检查后再试', { errorNumber: 268445527 }));
  if (order.mchid !== credentials.mchId) throw new InvalidRequest(replyError(400, 'MCH_NOT_EXISTS', '商户号不存在'));
  if (!isOpenidOfApp(credentials.appId, order.payer.openid)) {
    throw new InvalidRequest(
      replyError(400, 'PARAM_ERROR', '用户的openid与appid不匹配', {
        detail: { field: '/payer/openid', value: order.payer.openid, issue: 'openid was not issued under this appid', location: 'body' },
        errorNumber: 268501013,
      }),
    );
  }
}

/** Checks a JSAPI prepay body as WeChat Pay does; throws InvalidRequest carrying the 400 reply. */
export function validatePrepayRequest(raw: string, credentials: SandboxCredentials): PrepayOrder {
  const body = parseJsonObject(raw);
  rejectNulls(body);
  const unknown = Object.keys(body).find((key) => !ALLOWED_FIELDS.has(key));
  if (unknown !== undefined) failParameter(`/${unknown}`, body[unknown], 'is not a parameter of this API');
  const payer = readObject(body, 'payer', '/payer', true);
  const order: PrepayOrder = {
    appid: readString(body, 'appid', '/appid', { required: true, maxLength: 32 }),
    mchid: readString(body, 'mchid', '/mchid', { required: true, maxLength: 32 }),
    description: readString(body, 'description', '/description', { required: true, maxLength: 127 }),
    out_trade_no: readString(body, 'out_trade_no', '/out_trade_no', { required: true, maxLength: 32, minLength: 6, pattern: OUT_TRADE_NO }),
    notify_url: readString(body, 'notify_url', '/notify_url', { required: true, maxLength: 255 }),
    time_expire: readString(body, 'time_expire', '/time_expire', { required: false, maxLength: 64 }),
    attach: readString(body, 'attach', '/attach', { required: false, maxLength: 128 }),
    amount: readAmount(body),
    payer: { openid: readString(payer, 'openid', '/payer/openid', { required: true, maxLength: 128 }) },
  };
  checkNotifyUrl(order.notify_url);
  checkTimeExpire(order.time_expire);
  checkParties(order, credentials);
  if (order.time_expire === undefined) delete order.time_expire;
  if (order.attach === undefined) delete order.attach;
  return order;
}
