import type { ErrorRequestHandler } from 'express';
import { AppError, databaseUnavailable } from '../errors/app-error';
import { isDatabaseUnavailable } from '../persistence/database-unavailable';
import type { Logger } from '../observability/logger';
import { sendProblem, type Problem } from './problem';

interface ValidatorError {
  status: number;
  message: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
}

/** express-openapi-validator's HttpError: a status and an `errors` array. */
function isValidatorError(err: unknown): err is ValidatorError {
  return typeof err === 'object' && err !== null && 'status' in err && Array.isArray((err as ValidatorError).errors);
}

const VALIDATOR_CODES: Record<number, [string, string]> = {
  400: ['VALIDATION_FAILED', 'Validation failed'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
};

/** body-parser's own client errors (malformed JSON, too large, bad charset) keep their 4xx status. */
function bodyParserError(err: unknown): { title: string; status: number; detail: string; code: string } | undefined {
  const { status, type, expose } = err as { status?: number; type?: string; expose?: boolean };
  if (!expose || !status || status >= 500) return undefined;
  if (type === 'entity.parse.failed') return { title: 'Validation failed', status: 400, detail: 'The body is not valid JSON.', code: 'VALIDATION_FAILED' };
  if (status === 413) return { title: 'Payload too large', status, detail: 'The body is larger than this route accepts.', code: 'PAYLOAD_TOO_LARGE' };
  // A charset other than UTF-8, or a Content-Encoding it cannot inflate.
  if (status === 415) return { title: 'Unsupported media type', status, detail: 'The body must be UTF-8 JSON.', code: 'UNSUPPORTED_MEDIA_TYPE' };
  // Cut off, or a length that does not match Content-Length: one code, at the status the contract gives it.
  return { title: 'Bad request', status: 400, detail: 'The body could not be read.', code: 'BAD_REQUEST' };
}

// A short wait, repeated: the SDK tries four times, the pool reconnects on the first request after PostgreSQL is back.
const DATABASE_RETRY_AFTER_SECONDS = 2;

/** What a failed request is answered: a problem and its headers (Retry-After, WWW-Authenticate). */
export interface ProblemAnswer {
  problem: Omit<Problem, 'type'>;
  headers?: Record<string, string>;
}

/** The one place an error becomes a problem with a stable code and the request id, for Express and the status polls. */
export function problemAnswerFor(err: unknown, requestId: string, log: Logger): ProblemAnswer {
  // An AppError is a classified outcome: whoever classified it logged its cause once (WeChat's code, message,
  // Request-ID); a second line here would make one failure look like two.
  if (err instanceof AppError) {
    return { problem: { title: err.title, status: err.status, detail: err.message, code: err.code, request_id: requestId }, headers: err.headers };
  }
  if (isValidatorError(err) && err.status < 500) {
    const [code, title] = VALIDATOR_CODES[err.status] ?? ['BAD_REQUEST', 'Bad request'];
    const detail = err.status === 401 ? 'A valid bearer token is required.' : err.message;
    const errors = err.status === 400 ? err.errors?.map((e) => ({ path: e.path, message: e.message })) : undefined;
    return { problem: { title, status: err.status, detail, code, request_id: requestId, errors }, headers: err.headers };
  }
  const bodyError = bodyParserError(err);
  if (bodyError) return { problem: { ...bodyError, request_id: requestId } };
  if (isDatabaseUnavailable(err)) {
    log.error({ err }, 'database unavailable');
    const problem = databaseUnavailable(DATABASE_RETRY_AFTER_SECONDS);
    return { problem: { title: problem.title, status: 503, detail: problem.message, code: problem.code, request_id: requestId }, headers: problem.headers };
  }
  // 5xx details stay in the log; the client gets the request id to quote.
  log.error({ err }, 'unexpected error');
  return { problem: { title: 'Internal error', status: 500, detail: 'Something went wrong. Quote the request id.', code: 'INTERNAL', request_id: requestId } };
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const { problem, headers } = problemAnswerFor(err, String(req.id), req.log);
  sendProblem(res, problem, headers);
};
