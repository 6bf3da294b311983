import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';

export interface StopOptions {
  signal?: NodeJS.Signals;
  /** Signal the whole process group (default), or the process alone and let it stop its children. */
  wholeGroup?: boolean;
  graceMs?: number;
  /** Runs once the process is gone (e.g. remove its data folder). */
  afterStop?: () => void;
}

/** A child started in its own process group, its output in a log file. */
export interface StartedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  stopOptions: StopOptions;
  /** Settles when the process exits, with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  hasExited(): boolean;
}

/** Everything started and not yet stopped, so that one call can stop it all, even on Ctrl-C. */
const started = new Set<StartedProcess>();
/** Stops under way: a second caller (Ctrl-C during cleanup) waits for the same stop. */
const stopping = new Map<StartedProcess, Promise<void>>();

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; cwd: string; stop?: StopOptions },
): StartedProcess {
  const log = openSync(options.logFile, 'w');
  // detached: its own process group, so stopping it can reach its children and Ctrl-C here does not.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
    child.once('error', () => {
      done = true;
      resolve(null);
    });
  });
  const entry: StartedProcess = { name, child, logFile: options.logFile, stopOptions: options.stop ?? {}, exited, hasExited: () => done };
  started.add(entry);
  return entry;
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

async function groupEmptiesWithin(pgid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; signalGroup(pgid, 0);) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function describeGroup(pgid: number): string {
  const lines = execFileSync('ps', ['-eo', 'pid=,pgid=,user=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.trim().split(/\s+/)[1] === String(pgid)).join('\n');
}

const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

/**
 * Sends `signal` (to the process alone, or to its whole group), waits up to `graceMs` for it to exit, then
 * SIGKILLs the group; finally SIGKILLs anything the process left behind in its group.
 */
export function stopProcess(target: StartedProcess): Promise<void> {
  const pending = stopping.get(target);
  if (pending) return pending;
  if (!started.delete(target)) return Promise.resolve();
  const stop = signalAndWait(target);
  stopping.set(target, stop);
  return stop;
}

async function signalAndWait(target: StartedProcess): Promise<void> {
  const pid = target.child.pid;
  const { signal = 'SIGTERM', wholeGroup = true, graceMs = 10_000, afterStop } = target.stopOptions;
  if (pid !== undefined && !target.hasExited()) {
    if (wholeGroup) signalGroup(pid, signal);
    else target.child.kill(signal);
    if (!(await within(target.exited, graceMs))) {
      process.stderr.write(`${target.name} did not stop within ${graceMs} ms after ${signal}: killing its process group\n`);
      signalGroup(pid, 'SIGKILL');
      await within(target.exited, 5_000);
    }
  }
  // Anything still in the group a moment later was left behind (e.g. a PostgreSQL the server did not stop).
  if (pid !== undefined && !(await groupEmptiesWithin(pid, 2_000))) {
    process.stderr.write(`${target.name} left processes behind in its group, killing them:\n${describeGroup(pid)}\n`);
    signalGroup(pid, 'SIGKILL');
  }
  afterStop?.();
}

/** Stops every process still running, all at once. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...started, ...stopping.keys()].map((target) => stopProcess(target)));
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until `ready(status)`; fails early if the process exits, or after `timeoutMs`. */
export async function waitForHttp(target: StartedProcess, url: string, timeoutMs: number, ready: (status: number) => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (target.hasExited()) throw new Error(`${target.name} exited before ${url} answered (see ${target.logFile})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (ready(response.status)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs} ms (see ${target.logFile})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
