import { existsSync, readFileSync } from 'node:fs';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Collects every problem instead of stopping at the first, so one message names them all. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
  }

  url(name: string, fallback?: string): string {
    const value = fallback === undefined ? this.required(name) : (this.string(name, fallback) as string);
    if (value && !URL.canParse(value)) this.problems.push(`${name} must be an absolute URL, got "${value}"`);
    return value;
  }

  /** A PEM given inline (`-----BEGIN …`, `\n` escapes allowed) or as a file path. */
  pem(name: string, value: string): string {
    if (!value) return '';
    if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
    if (existsSync(value)) return readFileSync(value, 'utf8');
    this.problems.push(`${name} must be a PEM or the path of a PEM file; no file at "${value}"`);
    return '';
  }

  check(name: string, ok: () => boolean, message: string): void {
    try {
      if (ok()) return;
    } catch {
      // a parse failure is reported like any other malformed value
    }
    this.problems.push(`${name} ${message}`);
  }
}
