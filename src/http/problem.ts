import type { Response } from 'express';
import type { components } from '../../generated/api';

export type Problem = components['schemas']['Problem'];

const TYPE_BASE = 'https://errors.wechat-payment-session.dev/';

/** `ORDER_NOT_FOUND` → `https://errors.wechat-payment-session.dev/order-not-found`. */
export function problemType(code: string): string {
  return TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

export function sendProblem(res: Response, problem: Omit<Problem, 'type'>, headers: Record<string, string> = {}): void {
  res.set(headers);
  res.status(problem.status).type('application/problem+json').json({ type: problemType(problem.code), ...problem });
}
