/**
 * `tsx scripts/bench/compare-heap-snapshots.ts before.heapsnapshot after.heapsnapshot`: what grew between two heap
 * snapshots (written by `BENCH_HEAP_SNAPSHOTS=1 npm run bench` at the soak's start and end), by constructor name.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function sizesByName(file: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const [typeNames] = data.snapshot.meta.node_types;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const sizes = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = typeNames[data.nodes[i + typeAt] as number] as string;
    const name = type === 'object' || type === 'closure' ? `${type}:${data.strings[data.nodes[i + nameAt] as number]}` : type;
    const entry = sizes.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += data.nodes[i + sizeAt] as number;
    sizes.set(name, entry);
  }
  return sizes;
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) throw new Error('usage: compare-heap-snapshots.ts before.heapsnapshot after.heapsnapshot');
const before = sizesByName(beforeFile);
const after = sizesByName(afterFile);
const growth = [...after.entries()]
  .map(([name, now]) => ({ name, count: now.count - (before.get(name)?.count ?? 0), bytes: now.bytes - (before.get(name)?.bytes ?? 0) }))
  .sort((a, b) => b.bytes - a.bytes)
  .slice(0, 25);
for (const row of growth) process.stdout.write(`${(row.bytes / 2 ** 20).toFixed(1).padStart(8)} MB ${String(row.count).padStart(9)}  ${row.name}\n`);
