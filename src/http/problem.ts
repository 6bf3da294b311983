import type { Response } from 'express';
import type { components } from '../../generated/api';

export type Problem = components['schemas']['Problem'];

/** The Problem schema's own bounds in openapi.yaml (a unit test keeps the two equal). */
export const PROBLEM_LIMITS = { title: 256, detail: 4096, errors: 100, errorPath: 1024, errorMessage: 2048 } as const;

const ELLIPSIS = '…';

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - ELLIPSIS.length) + ELLIPSIS;
}

/** `ORDER_NOT_FOUND` → `/docs/problems#ORDER_NOT_FOUND`: relative to this server, the entry that says what to do. */
export function problemType(code: string): string {
  return `/docs/problems#${code}`;
}

/**
 * A refusal of an absurd request (3,000 unknown query parameters, a 10,000-character field name) still fits the
 * contract: at most 100 errors, every text cut to its schema length.
 */
function withinLimits(problem: Omit<Problem, 'type'>): Omit<Problem, 'type'> {
  const bounded = { ...problem, title: cut(problem.title, PROBLEM_LIMITS.title) };
  if (problem.detail !== undefined) bounded.detail = cut(problem.detail, PROBLEM_LIMITS.detail);
  if (problem.errors !== undefined)
    bounded.errors = problem.errors
      .slice(0, PROBLEM_LIMITS.errors)
      .map(({ path, message }) => ({ path: cut(path, PROBLEM_LIMITS.errorPath), message: cut(message, PROBLEM_LIMITS.errorMessage) }));
  return bounded;
}

/** The body of a problem answer: its `type` from its code, every text within the schema's bounds. */
export function problemBody(problem: Omit<Problem, 'type'>): Problem {
  return { type: problemType(problem.code), ...withinLimits(problem) };
}

export function sendProblem(res: Response, problem: Omit<Problem, 'type'>, headers: Record<string, string> = {}): void {
  res.set(headers);
  res.status(problem.status).type('application/problem+json').json(problemBody(problem));
}
