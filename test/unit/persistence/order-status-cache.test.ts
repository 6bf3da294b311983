import { OrderStatusCache, type CachedOrderStatus } from '../../../src/persistence/order-status-cache';

const pending: CachedOrderStatus = { userId: 'u1', status: 'pending', lockExpireAt: new Date('2026-12-01T10:15:00Z'), refundAmount: 0, refundedAmount: 0 };
const paid: CachedOrderStatus = { ...pending, status: 'paid' };

function counting(value: CachedOrderStatus | null) {
  const load = jest.fn(async () => value);
  return load;
}

function trustedCache(options: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {}): OrderStatusCache {
  const cache = new OrderStatusCache({ maxEntries: options.maxEntries ?? 10, maxAgeMs: options.maxAgeMs ?? 30_000, now: options.now });
  cache.startTrusting();
  return cache;
}

describe('order status cache', () => {
  describe('given a listening cache and an order read once', () => {
    it('answers the next read without loading', async () => {
      const cache = trustedCache();
      const load = counting(pending);
      await cache.read('o1', load);
      expect(await cache.read('o1', load)).toEqual(pending);
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('answers what was loaded, its trade number, lock expiry and refund totals included', async () => {
      const cache = trustedCache();
      const requested: CachedOrderStatus = { ...pending, outTradeNo: 'T20261201101500000001', refundAmount: 300, refundedAmount: 100 };
      await cache.read('o1', counting(requested));
      expect(await cache.read('o1', counting(null))).toEqual(requested);
    });

    it('loads again after the order is announced as changed', async () => {
      const cache = trustedCache();
      await cache.read('o1', counting(pending));
      cache.invalidate('o1');
      expect(await cache.read('o1', counting(paid))).toEqual(paid);
    });

    it('loads again once the entry is older than its maximum age', async () => {
      let now = 0;
      const cache = trustedCache({ maxAgeMs: 1000, now: () => now });
      await cache.read('o1', counting(pending));
      now = 1000;
      expect(await cache.read('o1', counting(paid))).toEqual(paid);
    });
  });

  describe('given a change announced while a read is in flight', () => {
    it('answers that read but does not keep it', async () => {
      const cache = trustedCache();
      let finish: (value: CachedOrderStatus) => void = () => {};
      const inFlight = cache.read('o1', () => new Promise((resolve) => (finish = resolve)));
      cache.invalidate('o1');
      finish(pending);
      expect(await inFlight).toEqual(pending);
      expect(cache.size).toBe(0);
    });
  });

  describe('given the listener lost its connection', () => {
    it('drops every entry and loads on every read until it listens again', async () => {
      const cache = trustedCache();
      await cache.read('o1', counting(pending));
      cache.stopTrusting();
      const load = counting(paid);
      await cache.read('o1', load);
      await cache.read('o1', load);
      expect([load.mock.calls.length, cache.size]).toEqual([2, 0]);
    });

    it('does not keep a read that started before the loss', async () => {
      const cache = trustedCache();
      let finish: (value: CachedOrderStatus) => void = () => {};
      const inFlight = cache.read('o1', () => new Promise((resolve) => (finish = resolve)));
      cache.stopTrusting();
      cache.startTrusting();
      finish(pending);
      await inFlight;
      expect(cache.size).toBe(0);
    });
  });

  describe('given a cache that never listened', () => {
    it('loads on every read', async () => {
      const cache = new OrderStatusCache({ maxEntries: 10, maxAgeMs: 30_000 });
      const load = counting(pending);
      await cache.read('o1', load);
      await cache.read('o1', load);
      expect(load).toHaveBeenCalledTimes(2);
    });
  });

  describe('given more orders than entries', () => {
    it('keeps the newest up to the bound', async () => {
      const cache = trustedCache({ maxEntries: 3 });
      for (const id of ['o1', 'o2', 'o3', 'o4', 'o5']) await cache.read(id, counting(pending));
      const load = counting(pending);
      await cache.read('o5', load);
      await cache.read('o1', load);
      expect([cache.size, load.mock.calls.length]).toEqual([3, 1]);
    });
  });

  describe('given an unknown order', () => {
    it('keeps nothing (it may be created next)', async () => {
      const cache = trustedCache();
      await cache.read('o1', counting(null));
      expect(cache.size).toBe(0);
    });
  });
});
