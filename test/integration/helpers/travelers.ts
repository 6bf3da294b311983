import { randomUUID } from 'node:crypto';
import type { components } from '../../../generated/api';
import { deriveOpenid } from '../../../sandbox';
import type { TestStack } from './test-stack';
import { call } from './http-client';

type Order = components['schemas']['Order'];
export type PaymentSession = components['schemas']['PaymentSession'];
/** A success body, or a problem body when the status says so. */
type OrProblem<T> = T & Partial<components['schemas']['Problem']>;

export interface LoggedInTraveler {
  token: string;
  openid: string;
}

/** Logs in through `POST /auth/wechat/login` with a fresh wx.login code of a traveler named `name`. */
export async function loginAs(stack: TestStack, name: string = `traveler${randomUUID().slice(0, 8)}`, baseUrl = stack.api.url): Promise<LoggedInTraveler> {
  const answer = await call<{ token: string }>(baseUrl, 'POST', '/auth/wechat/login', { body: { code: `${name}-${randomUUID()}` } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return { token: answer.body.token, openid: deriveOpenid(stack.sandbox.credentials.appId, name) };
}

export async function createPendingOrder(
  stack: TestStack,
  traveler: LoggedInTraveler,
  body: { amount: number; description: string } = { amount: 8800, description: 'G7311 seat 05A' },
): Promise<Order> {
  const answer = await call<Order>(stack.api.url, 'POST', '/orders', { token: traveler.token, body, headers: { 'Idempotency-Key': randomUUID() } });
  if (answer.status !== 201) throw new Error(`order failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

export function requestSession(stack: TestStack, traveler: LoggedInTraveler, orderId: string, baseUrl = stack.api.url, extra: Record<string, unknown> = {}) {
  return call<OrProblem<PaymentSession>>(baseUrl, 'POST', '/payments/session', { token: traveler.token, body: { order_id: orderId, ...extra } });
}

export function pollStatus(stack: TestStack, traveler: LoggedInTraveler, orderId: string) {
  return call<OrProblem<{ status: string; lock_expire_at: string }>>(stack.api.url, 'GET', `/payments/${orderId}/status`, { token: traveler.token });
}

/** What the WeChat client does when the mini program calls wx.requestPayment with these parameters. */
export function payInSandbox(stack: TestStack, session: PaymentSession, result: 'success' | 'cancel' | 'fail' = 'success') {
  return call(stack.sandbox.url, 'POST', '/sandbox/request-payment', { body: { ...session, result } });
}

export async function sandboxCalls(stack: TestStack, path?: string): Promise<{ method: string; path: string; status: number }[]> {
  const answer = await call<{ calls: { method: string; path: string; status: number }[] }>(stack.sandbox.url, 'GET', '/sandbox/calls');
  return path ? answer.body.calls.filter((c) => c.path === path) : answer.body.calls;
}

export async function injectFault(stack: TestStack, fault: Record<string, unknown>): Promise<void> {
  const answer = await call(stack.sandbox.url, 'POST', '/sandbox/faults', { body: fault });
  if (answer.status >= 300) throw new Error(`fault refused: ${answer.text}`);
}

/** Polls the database-backed status until it reads `expected` (WeChat's notification is asynchronous). */
export async function waitForStatus(stack: TestStack, traveler: LoggedInTraveler, orderId: string, expected: string, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  // A first poll right away would likely beat the notification and then wait out the 3 s limit.
  await new Promise((resolve) => setTimeout(resolve, 300));
  while (Date.now() < deadline) {
    const answer = await pollStatus(stack, traveler, orderId);
    if (answer.status === 200) {
      last = answer.body.status;
      if (last === expected) return last;
    }
    const wait = answer.status === 429 ? Number(answer.headers.get('retry-after') ?? 1) * 1000 : 200;
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
  }
  return last;
}
