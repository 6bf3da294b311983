/** The printed table (every figure with its ratio to both baselines), the target checks, and latest.json. */
import type { LoadResult } from './load-runner';

export interface BenchRow {
  name: string;
  result: LoadResult;
  /** Status codes a correct answer has; anything else is counted as unexpected. */
  expect: string[];
  note?: string;
}

export interface MemorySample {
  at: string;
  rss: number;
  peak: number;
  heapUsed?: number;
  heapTotal?: number;
  external?: number;
  /** Orders in the status cache (summed over the workers). */
  statusCacheEntries?: number;
  processes: number;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const fixed = (value: number, digits = 0) => value.toFixed(digits);

function unexpected(row: BenchRow): number {
  if (row.expect.length === 0) return 0;
  const wrong = Object.entries(row.result.statusCodes)
    .filter(([code]) => !row.expect.includes(code))
    .reduce((sum, [, count]) => sum + count, 0);
  return wrong + row.result.errors + row.result.timeouts;
}

function codes(result: LoadResult): string {
  return Object.entries(result.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
}

/** First and last minute of the soak (halves when it is shorter than two minutes). */
function soakGrowth(
  samples: MemorySample[],
): { start: number; end: number; firstWindow: number; lastWindow: number; cacheStart?: number; cacheEnd?: number } | undefined {
  if (samples.length < 4) return undefined;
  const window = Math.max(1, Math.min(12, Math.floor(samples.length / 2)));
  const mean = (list: MemorySample[]) => list.reduce((sum, s) => sum + s.rss, 0) / list.length;
  return {
    start: (samples[1] ?? samples[0])?.rss ?? 0,
    end: samples[samples.length - 1]?.rss ?? 0,
    firstWindow: mean(samples.slice(1, 1 + window)),
    lastWindow: mean(samples.slice(-window)),
    cacheStart: (samples[1] ?? samples[0])?.statusCacheEntries,
    cacheEnd: samples[samples.length - 1]?.statusCacheEntries,
  };
}

export function printTable(input: {
  rows: BenchRow[];
  memory: MemorySample[];
  soak: MemorySample[];
  status60k?: LoadResult;
  status1m?: LoadResult;
  settings: Record<string, unknown>;
}) {
  const raw = input.rows[0]?.result.perSecond ?? 1;
  const stack = input.rows[1]?.result.perSecond ?? 1;
  const lines: string[] = [];
  const header = `${'what'.padEnd(42)} ${'req/s'.padStart(8)} ${'×raw'.padStart(6)} ${'×express'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ${'bad'.padStart(4)}  answers`;
  lines.push(header, '-'.repeat(header.length + 20));
  const rows = input.rows.map((row) => {
    const ratioRaw = row.result.perSecond / raw;
    const ratioStack = row.result.perSecond / stack;
    lines.push(
      `${row.name.padEnd(42)} ${fixed(row.result.perSecond).padStart(8)} ${fixed(ratioRaw, 2).padStart(6)} ${fixed(ratioStack, 2).padStart(8)} ` +
        `${fixed(row.result.p50, 1).padStart(7)} ${fixed(row.result.p99, 1).padStart(7)}  ${String(unexpected(row)).padStart(4)}  ${codes(row.result)}${row.note ? `  (${row.note})` : ''}`,
    );
    return { ...row, ratioToRaw: ratioRaw, ratioToExpressStack: ratioStack, unexpected: unexpected(row) };
  });
  lines.push('', 'API process memory:');
  for (const sample of input.memory)
    lines.push(
      `  ${sample.at.padEnd(28)} rss ${mb(sample.rss).padStart(7)}  high-water ${mb(sample.peak).padStart(7)}  heap used ${mb(sample.heapUsed).padStart(7)} of ${mb(sample.heapTotal).padStart(7)}  external ${mb(sample.external).padStart(7)}  status cache ${String(sample.statusCacheEntries ?? '?').padStart(6)}`,
    );
  const growth = soakGrowth(input.soak);
  if (growth) {
    lines.push(
      `  soak: rss ${mb(growth.start)} at its start, ${mb(growth.end)} at its end; mean ${mb(growth.firstWindow)} over its first minute, ${mb(growth.lastWindow)} over its last; ` +
        `status cache ${growth.cacheStart ?? '?'} → ${growth.cacheEnd ?? '?'} entries`,
    );
  }
  const p50Ratio = input.status1m && input.status60k ? input.status1m.p50 / Math.max(input.status60k.p50, 0.001) : undefined;
  if (input.status1m && input.status60k)
    lines.push(`  status p50 at 60 k orders ${fixed(input.status60k.p50, 1)} ms, at 1 M ${fixed(input.status1m.p50, 1)} ms (×${fixed(p50Ratio ?? 0, 2)})`);
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  return {
    when: new Date().toISOString(),
    settings: input.settings,
    rows,
    memory: input.memory,
    soak: { samples: input.soak, growth },
    statusP50Ratio1mTo60k: p50Ratio,
  };
}
