import type { SignatureFault } from './sign-sandbox-response';

export type FaultEffect =
  | { kind: 'status'; status: number; code: string; message: string; unsigned: boolean }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'drop' }
  | { kind: 'signature'; fault: SignatureFault };

export interface FaultRule {
  /** Exact request path (no query), or a prefix ending in `*`. */
  path: string;
  method?: string;
  remaining: number;
  effect: FaultEffect;
}

const DEFAULT_ERRORS: Record<number, { code: string; message: string }> = {
  429: { code: 'FREQUENCY_LIMITED', message: '频率超限' },
  500: { code: 'SYSTEM_ERROR', message: '系统错误' },
  502: { code: 'SYSTEM_ERROR', message: '系统错误' },
  503: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用' },
};

const SIGNATURE_FLAGS: Record<string, SignatureFault> = {
  badSignature: 'bad-signature',
  probeSignature: 'probe',
  staleTimestamp: 'stale-timestamp',
  unknownSerial: 'unknown-serial',
};

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function parseEffect(input: Record<string, unknown>): FaultEffect | string {
  const effects: FaultEffect[] = [];
  if (input.status !== undefined) {
    if (!isInteger(input.status, 400, 599)) return 'status must be an integer from 400 to 599';
    const fallback = DEFAULT_ERRORS[input.status];
    const code = typeof input.code === 'string' ? input.code : fallback?.code;
    if (!code) return `code is required for status ${input.status}`;
    const message = typeof input.message === 'string' ? input.message : (fallback?.message ?? code);
    effects.push({ kind: 'status', status: input.status, code, message, unsigned: input.unsigned === true });
  }
  if (input.delayMs !== undefined) {
    if (!isInteger(input.delayMs, 1, 600_000)) return 'delayMs must be an integer from 1 to 600000';
    effects.push({ kind: 'delay', delayMs: input.delayMs });
  }
  if (input.drop === true) effects.push({ kind: 'drop' });
  for (const [flag, fault] of Object.entries(SIGNATURE_FLAGS)) if (input[flag] === true) effects.push({ kind: 'signature', fault });
  const [effect, ...others] = effects;
  if (!effect || others.length > 0) return `give exactly one of status, delayMs, drop, ${Object.keys(SIGNATURE_FLAGS).join(', ')}`;
  return effect;
}

/** Validates the body of `POST /sandbox/faults`; returns an error message when it is not usable. */
export function parseFaultRule(input: unknown): FaultRule | string {
  if (typeof input !== 'object' || input === null) return 'body must be a JSON object';
  const body = input as Record<string, unknown>;
  if (typeof body.path !== 'string' || !body.path.startsWith('/'))
    return 'path must be a request path such as /v3/pay/transactions/jsapi (a trailing * matches a prefix)';
  if (body.method !== undefined && typeof body.method !== 'string') return 'method must be a string';
  const count = body.count ?? 1;
  if (!isInteger(count, 1, 10_000)) return 'count must be an integer from 1 to 10000';
  const effect = parseEffect(body);
  if (typeof effect === 'string') return effect;
  return { path: body.path, method: body.method?.toUpperCase(), remaining: count, effect };
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  return rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
}

/** Armed faults, oldest first; each matching call consumes one use of the first rule that matches. */
export class FaultList {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push(rule);
  }

  take(method: string, path: string): FaultEffect | undefined {
    const rule = this.rules.find((candidate) => matches(candidate, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return rule.effect;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }
}
