/** The processes a bench run starts, each stopped by its own id when the run ends (or fails). */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const started: BenchProcess[] = [];

/** Starts `command`, its output appended to `logFile`; resolves once `ready` matches a line of its stdout, if given. */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; ready?: RegExp; timeoutMs?: number },
): Promise<{ process: BenchProcess; match?: RegExpMatchArray }> {
  const log = openSync(options.logFile, 'a');
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', options.ready ? 'pipe' : log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const benchProcess: BenchProcess = {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
  started.push(benchProcess);
  if (!options.ready) return { process: benchProcess };
  const ready = options.ready;
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms (see ${options.logFile})`)),
      options.timeoutMs ?? 60_000,
    );
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready (see ${options.logFile})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const found = buffered.match(ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  child.stdout?.resume();
  return { process: benchProcess, match };
}

/** Stops everything this run started, the last started first. */
export async function stopAll(): Promise<void> {
  for (const benchProcess of started.reverse()) await benchProcess.stop().catch(() => undefined);
  started.length = 0;
}

/** Runs a command to its end; rejects on a non-zero exit. Returns its stdout. */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<string> {
  const log = openSync(logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', log] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code} (see ${logFile})`))));
  });
}

function statusField(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Node processes whose parent is `pid` (cluster workers); PostgreSQL's processes are not counted. */
function nodeChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').trim();
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
      if (comm === 'node' && Number(rest?.split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** Resident memory of the API: its process and, in cluster mode, its workers (bytes), with the high-water mark. */
export function apiMemory(pid: number): { rss: number; peak: number; processes: number } {
  const pids = [pid, ...nodeChildren(pid)];
  let rss = 0;
  let peak = 0;
  for (const each of pids) {
    try {
      rss += statusField(each, 'VmRSS');
      peak += statusField(each, 'VmHWM');
    } catch {
      // gone
    }
  }
  return { rss, peak, processes: pids.length };
}
