import { expectSuccess } from './api-request';
import type { AuthSession } from './auth-session';
import type { Order } from './contract-types';
import { assertFen } from './fen';
import { createIdempotencyKey } from './idempotency-key';
import { retryTransient, type RetryPolicy } from './retry-transient';

export interface CreateOrderInput {
  /** Integer fen: 8800 is 88.00 yuan. */
  amount: number;
  /** 1–127 characters, shown in the traveler's WeChat bill; no emoji. */
  description: string;
}

/**
 * POST /orders once per call: one Idempotency-Key per intended order, re-sent unchanged on a retry, so a
 * request whose answer was lost creates no second order (the server replays the first answer).
 */
export async function createOrder(auth: AuthSession, input: CreateOrderInput, retry?: RetryPolicy, idempotencyKey = createIdempotencyKey()): Promise<Order> {
  assertFen(input.amount);
  const body = { amount: input.amount, description: input.description };
  const answer = await retryTransient(() => auth.send({ method: 'POST', path: '/orders', body, headers: { 'Idempotency-Key': idempotencyKey } }), retry);
  return expectSuccess<Order>(answer, 201);
}
