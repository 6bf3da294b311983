import { ConfigError, loadConfig } from '../../../src/config/env';

/** What loadConfig refuses in `env`, one sentence per variable; empty when it loads. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
