import fc from 'fast-check';
import { WindowCounts } from '../../../src/rate-limits/window-counts';

function countsAt(points: number, durationMs: number) {
  const clock = { now: 0 };
  return { clock, counts: new WindowCounts(points, durationMs, () => clock.now) };
}

/** What RateLimiterMemory does, kept naively: one window per key, opened by its first hit, never dropped. */
function referenceCounts(points: number, durationMs: number) {
  const windows = new Map<string, { opened: number; count: number }>();
  return (key: string, now: number): number => {
    const window = windows.get(key);
    if (!window || window.opened + durationMs <= now) {
      windows.set(key, { opened: now, count: 1 });
      return 0;
    }
    window.count++;
    return window.count > points ? window.opened + durationMs - now : 0;
  };
}

describe('window counts', () => {
  describe('given a budget of 2 per 3 s', () => {
    it('allows two hits of a key and refuses the third with the time left in its window', () => {
      const { clock, counts } = countsAt(2, 3000);
      clock.now = 1000;
      counts.hit('traveler');
      clock.now = 1500;
      counts.hit('traveler');
      clock.now = 2500;
      expect(counts.hit('traveler')).toBe(1500);
    });

    it('allows the key again once its window has closed', () => {
      const { clock, counts } = countsAt(2, 3000);
      for (let i = 0; i < 3; i++) counts.hit('traveler');
      clock.now = 3000;
      expect(counts.hit('traveler')).toBe(0);
    });

    it('does not stretch the window for refused hits', () => {
      const { clock, counts } = countsAt(2, 3000);
      counts.hit('traveler');
      counts.hit('traveler');
      for (const at of [1000, 2000, 2999]) {
        clock.now = at;
        expect(counts.hit('traveler')).toBe(3000 - at);
      }
      clock.now = 3000;
      expect(counts.hit('traveler')).toBe(0);
    });

    it('counts each key on its own', () => {
      const { counts } = countsAt(2, 3000);
      counts.hit('a');
      counts.hit('a');
      expect([counts.hit('b'), counts.hit('a')]).toEqual([0, 3000]);
    });
  });

  describe('given a window that opened just before a new generation began', () => {
    it('still refuses the key until that window closes', () => {
      const { clock, counts } = countsAt(1, 3000);
      clock.now = 2999;
      counts.hit('order');
      clock.now = 3500;
      counts.hit('another order');
      expect(counts.hit('order')).toBe(2499);
    });
  });

  describe('given keys nobody hits any more', () => {
    it('drops them after two windows', () => {
      const { clock, counts } = countsAt(1, 3000);
      counts.hit('old');
      clock.now = 3001;
      counts.hit('recent');
      clock.now = 6002;
      counts.hit('newest');
      expect(counts.size).toBe(2);
    });

    it('drops every generation after a long silence and opens a new window', () => {
      const { clock, counts } = countsAt(1, 3000);
      counts.hit('order');
      clock.now = 60_000;
      expect([counts.hit('order'), counts.size]).toEqual([0, 1]);
    });
  });

  describe('given a new key every 10 ms for 100 s with 1 s windows', () => {
    it('never holds more keys than were hit in the last two windows', () => {
      const { clock, counts } = countsAt(1, 1000);
      let most = 0;
      for (let i = 0; i < 10_000; i++) {
        clock.now = i * 10;
        counts.hit(`order-${i}`);
        most = Math.max(most, counts.size);
      }
      expect(most).toBeLessThanOrEqual(201);
      expect(most).toBeGreaterThanOrEqual(100);
    });
  });

  describe('given the largest configurable limit (999999 per 3600 s)', () => {
    it('counts every hit of a window opened late in its generation', () => {
      const durationMs = 3_600_000;
      const { clock, counts } = countsAt(999_999, durationMs);
      clock.now = durationMs - 1;
      let allowed = 0;
      for (let i = 0; i < 999_999; i++) if (counts.hit('ip') === 0) allowed++;
      expect([allowed, counts.hit('ip')]).toEqual([999_999, durationMs]);
    });
  });

  describe('given any sequence of hits over time', () => {
    it('answers as a window per key opened by its first hit does', () => {
      const step = fc.record({ key: fc.constantFrom('a', 'b', 'c'), advanceMs: fc.oneof(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 9000 })) });
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4000 }), fc.array(step, { maxLength: 200 }), (points, durationMs, steps) => {
          const { clock, counts } = countsAt(points, durationMs);
          const reference = referenceCounts(points, durationMs);
          for (const { key, advanceMs } of steps) {
            clock.now += advanceMs;
            if (counts.hit(key) !== reference(key, clock.now)) return false;
          }
          return true;
        }),
      );
    });
  });
});
