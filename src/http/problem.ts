import type { Response } from 'express';
import type { components } from '../../generated/api';

export type Problem = components['schemas']['Problem'];

/** `ORDER_NOT_FOUND` → `/docs/problems#ORDER_NOT_FOUND`: relative to this server, the entry that says what to do. */
export function problemType(code: string): string {
  return `/docs/problems#${code}`;
}

export function sendProblem(res: Response, problem: Omit<Problem, 'type'>, headers: Record<string, string> = {}): void {
  res.set(headers);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ type: problemType(problem.code), ...problem });
}
