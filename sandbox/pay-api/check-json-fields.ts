import { replyError, type WechatPayReply } from './wechat-pay-reply';

/** Thrown by the field checks and turned into a 400 reply by the route. */
export class InvalidRequest extends Error {
  constructor(readonly reply: WechatPayReply) {
    super(`invalid request: ${JSON.stringify(reply.body)}`);
  }
}

/** 268435461: the numeric code of PARAM_ERROR on parameter checks. */
const PARAM_ERROR_NUMBER = 268435461;

export function failParameter(field: string, value: unknown, issue: string): never {
  throw new InvalidRequest(
    replyError(400, 'PARAM_ERROR', `输入源“/body${field}”映射到值字段校验失败：${issue}`, {
      detail: { field, value, issue, location: 'body' },
      errorNumber: PARAM_ERROR_NUMBER,
    }),
  );
}

export function parseJsonObject(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRequest(
      replyError(400, 'PARAM_ERROR', '请求的JSON格式错误', { detail: { location: 'body', issue: 'body is not valid JSON' }, errorNumber: PARAM_ERROR_NUMBER }),
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) failParameter('', parsed, 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** The API rules forbid JSON nulls: an absent optional field is omitted, never null. */
export function rejectNulls(value: unknown, field = ''): void {
  if (value === null) failParameter(field, value, 'JSON null is not allowed; omit the field instead');
  if (typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) rejectNulls(child, `${field}/${key}`);
}

export function readObject(parent: Record<string, unknown>, key: string, field: string, required: true): Record<string, unknown>;
export function readObject(parent: Record<string, unknown>, key: string, field: string, required: boolean): Record<string, unknown> | undefined;
export function readObject(parent: Record<string, unknown>, key: string, field: string, required: boolean): Record<string, unknown> | undefined {
  const value = parent[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    failParameter(field, value, value === undefined ? 'is required' : 'must be a JSON object');
  return value as Record<string, unknown>;
}

interface StringRule {
  required: boolean;
  maxLength: number;
  minLength?: number;
  pattern?: RegExp;
}

/** Lengths count characters; 4-byte UTF-8 characters (emoji…) are outside the subset WeChat Pay accepts. */
export function readString(parent: Record<string, unknown>, key: string, field: string, rule: StringRule & { required: true }): string;
export function readString(parent: Record<string, unknown>, key: string, field: string, rule: StringRule): string | undefined;
export function readString(parent: Record<string, unknown>, key: string, field: string, rule: StringRule): string | undefined {
  const value = parent[key];
  if (value === undefined) {
    if (rule.required) failParameter(field, value, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') failParameter(field, value, 'must be a string');
  const length = [...value].length;
  if (length < (rule.minLength ?? 1) || length > rule.maxLength)
    failParameter(field, value, `length must be ${rule.minLength ?? 1} to ${rule.maxLength} characters`);
  if ([...value].some((character) => (character.codePointAt(0) ?? 0) > 0xffff))
    failParameter(field, value, 'contains 4-byte UTF-8 characters (e.g. emoji), which WeChat Pay does not accept');
  if (rule.pattern && !rule.pattern.test(value)) failParameter(field, value, `does not match ${rule.pattern.source}`);
  return value;
}
