import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertPostgresUserCanEnter,
  embeddedPostgresBinaryFolder,
  PostgresUserCannotEnterError,
  readPostgresUser,
} from '../../../src/persistence/embedded-postgres-access';
import { canEnter, findFolderUserCannotEnter, type PosixUser } from '../../../src/persistence/posix-folder-access';

/** Someone who owns none of the folders below and is in none of their groups, like a fresh `postgres` user. */
const stranger: PosixUser = { name: 'postgres', uid: 60_001, gids: [60_001] };

describe('whether the postgres user can reach the data folder and the binaries', () => {
  let root: string;
  beforeEach(() => {
    // mkdtemp makes a 0700 folder owned by whoever runs the tests: the "private checkout" parent.
    root = mkdtempSync(join(tmpdir(), 'private-checkout-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function chain(name: string, ...modes: number[]): string {
    let folder = root;
    modes.forEach((mode, i) => {
      folder = join(folder, `${name}-${i}`);
      mkdirSync(folder);
      chmodSync(folder, mode);
    });
    return folder;
  }

  it('given a checkout inside a 0700 folder, when checked, then that folder is reported', () => {
    const dataDir = join(chain('checkout', 0o755, 0o755), '.data', 'postgres');
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(findFolderUserCannotEnter([dataDir], stranger)).toEqual({ folder: root, mode: 0o700, uid: process.getuid?.() });
  });

  it('given a chain of 0755 folders, when checked, then nothing is reported', () => {
    chmodSync(root, 0o755);
    expect(findFolderUserCannotEnter([join(chain('checkout', 0o755, 0o755), '.data', 'postgres')], stranger)).toBeUndefined();
  });

  it('given a 0700 folder deep in the chain, when checked, then that folder is named', () => {
    chmodSync(root, 0o755);
    const inner = chain('checkout', 0o755, 0o700, 0o755);
    expect(findFolderUserCannotEnter([inner], stranger)?.folder).toBe(join(root, 'checkout-0', 'checkout-1'));
  });

  it('given 0711 (enter but not list), when checked, then it is enough', () => {
    chmodSync(root, 0o711);
    expect(findFolderUserCannotEnter([chain('checkout', 0o711)], stranger)).toBeUndefined();
  });

  it('given the data folder is fine but the binaries sit in a 0700 folder, when both are checked, then the binaries folder is named', () => {
    chmodSync(root, 0o755);
    const binaries = join(chain('modules', 0o755, 0o700), 'node_modules', 'bin');
    const data = chain('data', 0o755);
    expect(findFolderUserCannotEnter([data, binaries], stranger)?.folder).toBe(join(root, 'modules-0', 'modules-1'));
  });

  it('given a symlink into a 0700 folder, when checked through the link, then the target folder is named', () => {
    chmodSync(root, 0o755);
    const hidden = chain('hidden', 0o700);
    mkdirSync(join(hidden, 'modules'));
    const open = chain('open', 0o755);
    symlinkSync(join(hidden, 'modules'), join(open, 'node_modules'));
    expect(findFolderUserCannotEnter([join(open, 'node_modules')], stranger)?.folder).toBe(hidden);
  });

  it('decides search permission with the owner, group and other bits the kernel uses', () => {
    const user: PosixUser = { name: 'postgres', uid: 101, gids: [104, 200] };
    expect(canEnter({ mode: 0o700, uid: 101, gid: 0 }, user)).toBe(true);
    expect(canEnter({ mode: 0o077, uid: 101, gid: 104 }, user)).toBe(false); // the owner gets owner bits only
    expect(canEnter({ mode: 0o710, uid: 0, gid: 200 }, user)).toBe(true);
    expect(canEnter({ mode: 0o701, uid: 0, gid: 200 }, user)).toBe(false);
    expect(canEnter({ mode: 0o701, uid: 0, gid: 0 }, user)).toBe(true);
  });

  it('reads the postgres user and its groups from passwd and group files', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n';
    const group = 'root:x:0:\npostgres:x:104:\nssl-cert:x:110:postgres\ndocker:x:999:alice,postgres,bob\n';
    expect(readPostgresUser(passwd, group)).toEqual({ name: 'postgres', uid: 101, gids: [104, 110, 999] });
    expect(readPostgresUser('root:x:0:0::/root:/bin/sh\n', '').uid).toBeNaN();
  });

  it('names the folder and both ways out in one sentence', () => {
    const message = new PostgresUserCannotEnterError('/root', 0o700, 'TEST_DATABASE_URL').message;
    expect(message).toBe(
      'The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter /root (mode 0700): ' +
        'move the checkout to a folder every user can enter, or set TEST_DATABASE_URL to an existing PostgreSQL server.',
    );
  });

  it('finds the folder embedded-postgres starts initdb from', () => {
    const folder = embeddedPostgresBinaryFolder();
    expect(statSync(join(folder, 'initdb')).isFile()).toBe(true);
  });

  it('as root, refuses a data folder below a 0700 folder before PostgreSQL starts, and accepts it once the folder is 0755', async () => {
    const dataDir = join(chain('checkout', 0o755), '.data', 'postgres');
    if (process.getuid?.() !== 0) {
      // Not root: PostgreSQL runs as this very user, who owns the folders, so there is nothing to refuse.
      await expect(assertPostgresUserCanEnter(dataDir, 'DATABASE_URL')).resolves.toBeUndefined();
      return;
    }
    await expect(assertPostgresUserCanEnter(dataDir, 'DATABASE_URL')).rejects.toThrow(`that user cannot enter ${root} (mode 0700)`);
    chmodSync(root, 0o755);
    await expect(assertPostgresUserCanEnter(dataDir, 'DATABASE_URL')).resolves.toBeUndefined();
  });

  it('as root, agrees with the kernel: a process running as the postgres user can enter exactly the folders judged enterable', () => {
    const user = readPostgresUser(readFileSync('/etc/passwd', 'utf8'), readFileSync('/etc/group', 'utf8'));
    const folder = chain('checkout', 0o755);
    const kernelLetsIn = () => spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', folder], { uid: user.uid, gid: user.gids[0], stdio: 'ignore' }).status === 0;
    if (process.getuid?.() !== 0 || Number.isNaN(user.uid)) {
      expect(findFolderUserCannotEnter([folder], { name: 'me', uid: process.getuid?.() ?? 0, gids: [] })).toBeUndefined();
      return;
    }
    expect([kernelLetsIn(), findFolderUserCannotEnter([folder], user)?.folder]).toEqual([false, root]);
    chmodSync(root, 0o755);
    expect([kernelLetsIn(), findFolderUserCannotEnter([folder], user)]).toEqual([true, undefined]);
  });
});
