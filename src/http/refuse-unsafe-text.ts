/// <reference lib="es2024.string" />
import type { RequestHandler } from 'express';

/**
 * U+0000 and lone UTF-16 surrogates are never valid input: PostgreSQL refuses NUL in text (the insert would fail
 * as a 500), and a lone surrogate is no character at all (WeChat would receive mojibake). Every string a request
 * carries (path, query, headers, each key and value of the JSON body) is checked here in one pass, before the
 * contract validator and long before any use case, so no field needs a rule of its own.
 */
function isSafe(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** The JSON pointer of the first unsafe string (object keys included), walking without recursion. */
export function findUnsafeText(value: unknown, at: string): string | undefined {
  const pending: [unknown, string][] = [[value, at]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (!isSafe(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) pending.push([item[i], `${path}/${i}`]);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isSafe(key)) return path;
        pending.push([child, `${path}/${key}`]);
      }
    }
  }
  return undefined;
}

/** The raw path decoded; a broken percent escape or bytes that are not UTF-8 make it unreadable. */
function unsafePath(rawPath: string): boolean {
  if (!rawPath.includes('%')) return false;
  try {
    return !isSafe(decodeURIComponent(rawPath));
  } catch {
    return true;
  }
}

function refusal(path: string, message: string) {
  return { status: 400, message: `${path} ${message}`, errors: [{ path, message }] };
}

const UNSAFE = 'must not contain U+0000 or a lone UTF-16 surrogate';

/** Answers 400 VALIDATION_FAILED (through the error handler, like the contract validator's refusals). */
export const refuseUnsafeText: RequestHandler = (req, _res, next) => {
  if (unsafePath(req.path)) return next(refusal('/path', 'must be valid percent-encoded UTF-8 without U+0000'));
  const found =
    (req.url.includes('?') ? findUnsafeText(req.query, '/query') : undefined) ??
    findUnsafeText(req.headers, '/headers') ??
    (Buffer.isBuffer(req.body) ? undefined : findUnsafeText(req.body, '/body'));
  next(found === undefined ? undefined : refusal(found, UNSAFE));
};
