import { getHeapStatistics } from 'node:v8';

/** What one kept order status costs in the heap, measured with heap snapshots (about 300 bytes), with a margin. */
const BYTES_PER_ENTRY = 400;

/**
 * `npm start` bounds V8's heap (`--max-old-space-size`): a status cache that could fill more than half of it would
 * end in an out-of-memory crash under load instead of a clear message at start.
 */
export function statusCacheHeapProblem(maxEntries: number, heapLimitBytes = getHeapStatistics().heap_size_limit): string | undefined {
  const needed = maxEntries * BYTES_PER_ENTRY;
  if (needed <= heapLimitBytes / 2) return undefined;
  const mb = (bytes: number) => Math.ceil(bytes / 2 ** 20);
  return (
    `STATUS_CACHE_ENTRIES=${maxEntries} can take about ${mb(needed)} MB, more than half of this process's heap limit ` +
    `(${mb(heapLimitBytes)} MB): lower it, or start node with a larger --max-old-space-size`
  );
}
