import { statusCacheHeapProblem } from '../../../src/persistence/status-cache-heap-check';

const MB = 2 ** 20;

describe('the status cache against the heap limit', () => {
  describe('given the default 100,000 entries and npm start heap (256 MB old space)', () => {
    it('fits', () => {
      expect(statusCacheHeapProblem(100_000, 300 * MB)).toBeUndefined();
    });
  });

  describe('given more entries than half the heap can hold', () => {
    it('names the variable, what it needs and the way out', () => {
      const problem = statusCacheHeapProblem(1_000_000, 300 * MB);
      expect(problem).toContain('STATUS_CACHE_ENTRIES=1000000');
      expect(problem).toContain('382 MB');
      expect(problem).toContain('--max-old-space-size');
    });
  });

  describe('given the cache turned off', () => {
    it('fits any heap', () => {
      expect(statusCacheHeapProblem(0, 16 * MB)).toBeUndefined();
    });
  });
});
