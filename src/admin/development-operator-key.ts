import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../observability/logger';

/**
 * Outside production, with no ADMIN_API_KEYS, one operator key is generated once into `DATA_DIR/admin-api-key`
 * (mode 0600) and reused. Its path is logged so a developer can read it; the key itself never is.
 */
export function developmentOperatorKey(dataDir: string, logger: Logger): string {
  const file = resolve(join(dataDir, 'admin-api-key'));
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  // A file copied in with wider permissions is narrowed: it is a credential.
  chmodSync(file, 0o600);
  logger.info({ path: file }, 'no ADMIN_API_KEYS: the operator API accepts the key generated in this file');
  return readFileSync(file, 'utf8').trim();
}
