import type { Problem, ProblemCode } from './contract-types';
import { NETWORK_ERROR, PaymentApiError, UNEXPECTED_RESPONSE } from './payment-api-error';
import type { WxLike } from './wx-like';

export interface ApiAnswer {
  status: number;
  data: unknown;
  header: Record<string, string>;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Response headers arrive in whatever case the server or the WeChat client chose. */
export function headerValue(header: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(header).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : header[key];
}

/** `Retry-After` in whole seconds (the only form the API sends), as milliseconds. */
export function retryAfterMs(answer: ApiAnswer): number | undefined {
  const value = headerValue(answer.header, 'Retry-After');
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : undefined;
}

/** wx.request as a promise: any HTTP status resolves; only a request that got no answer rejects (NETWORK_ERROR). */
export function sendApiRequest(wx: WxLike, baseUrl: string, call: ApiCall, timeoutMs: number): Promise<ApiAnswer> {
  const header: Record<string, string> = { Accept: 'application/json, application/problem+json', ...call.headers };
  if (call.token) header.Authorization = `Bearer ${call.token}`;
  if (call.body !== undefined) header['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    wx.request({
      url: baseUrl.replace(/\/+$/, '') + call.path,
      method: call.method,
      header,
      data: call.body,
      timeout: timeoutMs,
      dataType: 'json',
      success: (result) => resolve({ status: result.statusCode, data: result.data, header: result.header ?? {} }),
      fail: (error) => reject(new PaymentApiError(NETWORK_ERROR, `${call.method} ${call.path}: ${error.errMsg}`)),
    });
  });
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && typeof (data as Problem).code === 'string' && typeof (data as Problem).status === 'number';
}

/** A non-2xx answer as an error carrying the problem's code (or UNEXPECTED_RESPONSE when it is not a problem). */
export function problemError(answer: ApiAnswer): PaymentApiError {
  const details = { httpStatus: answer.status, retryAfterMs: retryAfterMs(answer) };
  if (!isProblem(answer.data)) return new PaymentApiError(UNEXPECTED_RESPONSE, `HTTP ${answer.status} without a problem body`, details);
  const problem = answer.data;
  return new PaymentApiError(problem.code as ProblemCode, problem.detail ?? problem.title, { ...details, problem });
}

/** The body of a 2xx answer, or the answer's problem thrown. */
export function expectSuccess<T>(answer: ApiAnswer, expectedStatus: number): T {
  if (answer.status !== expectedStatus) throw problemError(answer);
  if (typeof answer.data !== 'object' || answer.data === null) {
    throw new PaymentApiError(UNEXPECTED_RESPONSE, `HTTP ${answer.status} without a JSON body`, { httpStatus: answer.status });
  }
  return answer.data as T;
}
