import { randomUUID } from 'node:crypto';
import type { WxLike, WxRequestOptions } from '../../../miniprogram-sdk/src';

/** One wx.request as the shim saw it, with the answer (none when the shim played a lost connection). */
export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  header: Record<string, string>;
  data: unknown;
  at: number;
  answer?: { statusCode: number; data: unknown; header: Record<string, string> };
}

export interface WxShimOptions {
  /** The sandbox WeChat Pay: wx.requestPayment posts there. */
  sandboxUrl?: string;
  /** Codes from wx.login are `<traveler>-<uuid>`: the sandbox maps every code of a traveler to one openid. */
  traveler?: string;
  /** The user's choice on the payment sheet. */
  paymentResult?: 'success' | 'cancel' | 'fail';
  /** Extra request headers per call, e.g. Prism's `Prefer`. */
  extraHeaders?: (request: { method: string; path: string; nth: number }) => Record<string, string> | undefined;
  /** Sent to the server, then the answer is dropped and wx.request calls `fail`, as on a lost connection. */
  loseAnswer?: (request: { method: string; path: string; nth: number }) => boolean;
  /** Runs after the sandbox accepted a payment and before the sheet's callback (e.g. poll to use up the rate limit). */
  afterPayment?: () => Promise<void>;
}

export interface WxShim extends WxLike {
  requests: RecordedRequest[];
  payments: Record<string, unknown>[];
  logins: string[];
}

async function answerOf(response: Response) {
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : '';
  } catch {
    // not JSON: wx.request hands over the text, as dataType json does on a parse failure
  }
  return { statusCode: response.status, data, header: Object.fromEntries(response.headers.entries()) };
}

const SHEET_FAILURES = { cancel: 'requestPayment:fail cancel', fail: 'requestPayment:fail 支付失败' };

/** Against the mock there is no transaction to pay: the sheet just reports the user's choice, in WeChat's words. */
function sheetWithoutSandbox(result: WxShimOptions['paymentResult'], success: (r: { errMsg: string }) => void, fail: (e: { errMsg: string }) => void): void {
  if (result === 'cancel' || result === 'fail') fail({ errMsg: SHEET_FAILURES[result] });
  else success({ errMsg: 'requestPayment:ok' });
}

/** wx.request over real HTTP, wx.login with sandbox codes, wx.requestPayment through the sandbox. */
export function createWxShim(options: WxShimOptions = {}): WxShim {
  const requests: RecordedRequest[] = [];
  const payments: Record<string, unknown>[] = [];
  const logins: string[] = [];
  const counts = new Map<string, number>();
  const traveler = options.traveler ?? `sdk${randomUUID().slice(0, 8)}`;

  async function send(request: WxRequestOptions): Promise<void> {
    const { pathname, search } = new URL(request.url);
    const key = `${request.method} ${pathname}`;
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    const header = { ...request.header, ...options.extraHeaders?.({ method: request.method, path: pathname, nth }) };
    const recorded: RecordedRequest = { method: request.method, url: request.url, path: pathname + search, header, data: request.data, at: Date.now() };
    requests.push(recorded);
    try {
      const body = request.data === undefined ? undefined : JSON.stringify(request.data);
      const answer = await answerOf(await fetch(request.url, { method: request.method, headers: header, body }));
      if (options.loseAnswer?.({ method: request.method, path: pathname, nth })) return request.fail({ errMsg: 'request:fail timeout' });
      recorded.answer = answer;
      request.success(answer);
    } catch (err) {
      request.fail({ errMsg: `request:fail ${String(err)}` });
    }
  }

  return {
    requests,
    payments,
    logins,
    request: (request) => void send(request),
    login: ({ success }) => {
      const code = `${traveler}-${randomUUID()}`;
      logins.push(code);
      setImmediate(() => success({ code, errMsg: 'login:ok' }));
    },
    requestPayment: ({ success, fail, ...parameters }) => {
      payments.push(parameters);
      void (async () => {
        if (!options.sandboxUrl) return sheetWithoutSandbox(options.paymentResult, success, fail);
        const body = JSON.stringify({ ...parameters, result: options.paymentResult ?? 'success' });
        const response = await fetch(`${options.sandboxUrl}/sandbox/request-payment`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.json()) as { errMsg: string };
        if (response.status !== 200) return fail(answer);
        await options.afterPayment?.();
        success(answer);
      })();
    },
  };
}

/** The answers to `METHOD path` in order. */
export function answersTo(shim: WxShim, method: string, pathPattern: RegExp) {
  return shim.requests.filter((request) => request.method === method && pathPattern.test(request.path));
}
