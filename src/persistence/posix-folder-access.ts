import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Who a process runs as: a uid and every group it is in. */
export interface PosixUser {
  name: string;
  /** NaN for a user that does not exist yet (it will own nothing). */
  uid: number;
  gids: number[];
}

export interface BlockedFolder {
  folder: string;
  mode: number;
  uid: number;
}

/** Search (x) permission as the kernel decides it: owner bits for the owner, else group bits, else other bits. */
export function canEnter(stats: Pick<Stats, 'mode' | 'uid' | 'gid'>, user: PosixUser): boolean {
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (user.gids.includes(stats.gid)) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/** `/`, `/a`, `/a/b` for `/a/b`. */
function foldersFromRoot(path: string): string[] {
  const folders: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) return folders;
  }
}

function deepestExisting(path: string): string | undefined {
  return foldersFromRoot(path)
    .reverse()
    .find((folder) => statOrUndefined(folder));
}

function statOrUndefined(folder: string): Stats | undefined {
  try {
    return statSync(folder);
  } catch {
    return undefined; // not there yet: it will be created, by root, for the user
  }
}

/**
 * The first folder `user` cannot enter on the way to any of `paths`, following symlinks (their targets' own
 * chains count too). Folders that do not exist yet are skipped.
 */
export function findFolderUserCannotEnter(paths: string[], user: PosixUser): BlockedFolder | undefined {
  for (const path of paths) {
    const existing = deepestExisting(path);
    const chains = [foldersFromRoot(path), existing ? foldersFromRoot(realpathSync(existing)) : []];
    for (const folder of chains.flat()) {
      const stats = statOrUndefined(folder);
      if (stats?.isDirectory() && !canEnter(stats, user)) return { folder, mode: stats.mode & 0o7777, uid: stats.uid };
    }
  }
  return undefined;
}
