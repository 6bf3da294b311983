import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../observability/logger';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface DocumentedOperation {
  method: string;
  matcher: RegExp;
  statuses: Set<string>;
}

/** `/payments/{orderId}/status` → a pattern in which a template segment is any one non-empty segment. */
function templateMatcher(template: string): RegExp {
  const segments = template.split('/').map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

function documentedOperations(spec: Json): DocumentedOperation[] {
  return Object.entries((spec.paths ?? {}) as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      method: method.toUpperCase(),
      matcher: templateMatcher(path),
      statuses: new Set(Object.keys(((item[method] as Json).responses ?? {}) as Json)),
    })),
  );
}

/** Outside every operation (no such route, a wrong method) only a catalogued problem's status can answer. */
function catalogStatuses(spec: Json): Set<string> {
  const problemCode = ((spec.components as Json | undefined)?.schemas as Json | undefined)?.ProblemCode as Json | undefined;
  return new Set(Object.values((problemCode?.['x-problems'] ?? {}) as Record<string, { status: number }>).map((entry) => String(entry.status)));
}

export type StatusCheck = (method: string, path: string, status: number) => boolean;

/** Built once from openapi.yaml: the patterns are compiled here, not per request. */
export function documentedStatusCheck(spec: Json): StatusCheck {
  const operations = documentedOperations(spec);
  const outside = catalogStatuses(spec);
  return (method, path, status) => {
    // Express answers HEAD with the GET route.
    const asked = method === 'HEAD' ? 'GET' : method;
    const operation = operations.find((candidate) => candidate.method === asked && candidate.matcher.test(path));
    const statuses = operation?.statuses ?? outside;
    return statuses.has(String(status)) || statuses.has(`${String(status)[0]}XX`) || statuses.has('default');
  };
}

/**
 * The status to write instead of `status`: itself when documented, otherwise 500, named in `X-Undocumented-Status`
 * and logged at error level, so the test that provoked it fails.
 */
export function checkedStatus(isDocumented: StatusCheck, method: string, path: string, status: number, res: ServerResponse, log: Logger): number {
  if (isDocumented(method, path, status)) return status;
  log.error({ status, method, path }, 'answer status not documented in openapi.yaml');
  res.setHeader('X-Undocumented-Status', String(status));
  return 500;
}

/**
 * Development and test only (VALIDATE_RESPONSES): an answer whose status openapi.yaml does not document turns
 * into a 500 and an error line, whoever wrote it (a handler, the error handler, a body parser, the webhook), so
 * the test that provoked it fails. express-openapi-validator checks bodies, but skips 5xx and never sees
 * answers given before it runs. The routes answered ahead of Express check their statuses with `checkedStatus`.
 */
export function failOnUndocumentedStatus(isDocumented: StatusCheck): RequestHandler {
  return (req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function checkedWriteHead(this: typeof res, status: number, ...rest: unknown[]) {
      const written = checkedStatus(isDocumented, req.method, req.path, status, res, req.log);
      return (writeHead as (...args: unknown[]) => typeof res).call(this, written, ...rest);
    } as typeof res.writeHead;
    next();
  };
}
