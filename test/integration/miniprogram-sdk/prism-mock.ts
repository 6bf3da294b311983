import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JsonObject } from '../../../scripts/contract/contract-document';
import { writeMockContract } from '../../../scripts/contract/mock-contract';
import { freePort, startProcess, stopProcess, waitForHttp } from '../../../scripts/contract/processes';

export interface RunningMock {
  url: string;
  /** The contract with the times this mock serves. */
  documented: JsonObject;
  stop(): Promise<void>;
}

/** `prism mock` from node_modules/.bin on a free 127.0.0.1 port, on the copy `npm run mock` serves. */
export async function startPrismMock(): Promise<RunningMock> {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-prism-'));
  const { file, documented } = writeMockContract(dir);
  const port = await freePort();
  const bin = resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'prism');
  const prism = startProcess('Prism mock', bin, ['mock', file, '-p', String(port), '-h', '127.0.0.1'], {
    env: { ...process.env, NODE_ENV: 'development' },
    cwd: dir,
    logFile: join(dir, 'prism.log'),
    stop: { graceMs: 5000, afterStop: () => rmSync(dir, { recursive: true, force: true }) },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(prism, url, 60_000, () => true);
  } catch (err) {
    await stopProcess(prism);
    throw err;
  }
  return { url, documented, stop: () => stopProcess(prism) };
}
