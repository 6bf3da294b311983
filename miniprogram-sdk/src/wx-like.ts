/**
 * The part of the `wx` object the SDK uses, so it runs in a mini program (pass `wx`) and in Node tests
 * (pass a shim). Names and callback shapes are WeChat's.
 */
export interface WxRequestSuccess {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

export interface WxCallbackError {
  errMsg: string;
}

export interface WxRequestOptions {
  url: string;
  method: 'GET' | 'POST';
  header: Record<string, string>;
  data?: unknown;
  timeout?: number;
  dataType: 'json';
  success(result: WxRequestSuccess): void;
  fail(error: WxCallbackError): void;
}

export interface WxRequestPaymentOptions {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
  success(result: { errMsg: string }): void;
  fail(error: WxCallbackError): void;
}

export interface WxLike {
  request(options: WxRequestOptions): unknown;
  login(options: { timeout?: number; success(result: { code: string; errMsg?: string }): void; fail(error: WxCallbackError): void }): unknown;
  requestPayment(options: WxRequestPaymentOptions): unknown;
}

/** Where the bearer token lives between calls (and, with wxStorage, between launches). */
export interface TokenStorage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

interface WxStorageApi {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  removeStorageSync(key: string): void;
}

/** The mini program's own storage: private to this mini program and this WeChat user. */
export function wxStorage(wx: WxStorageApi): TokenStorage {
  return {
    get: (key) => {
      const value = wx.getStorageSync(key);
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
    set: (key, value) => wx.setStorageSync(key, value),
    remove: (key) => wx.removeStorageSync(key),
  };
}

/** Kept only while the mini program runs: the default, and what tests use. */
export function memoryStorage(): TokenStorage {
  const values: Record<string, string> = {};
  return {
    get: (key) => values[key],
    set: (key, value) => {
      values[key] = value;
    },
    remove: (key) => {
      delete values[key];
    },
  };
}
