import { DEFAULT_RECONCILE_SCHEDULE, parseReconcileSchedule } from '../../../src/config/reconcile-schedule-env';
import { reconcileDelayMs, reconcileQueryTimesMs } from '../../../src/payments/reconcile-schedule';

const defaults = parseReconcileSchedule(DEFAULT_RECONCILE_SCHEDULE) as number[];

describe('the reconcile schedule', () => {
  describe('given the default', () => {
    it('queries every 5 s for 30 s, then after 1, 2, 5 and 10 minutes, then every 10 minutes', () => {
      expect(reconcileQueryTimesMs(defaults, 12).map((ms) => ms / 1000)).toEqual([5, 10, 15, 20, 25, 30, 90, 210, 510, 1110, 1710, 2310]);
    });

    it('finds a payment made in the first 90 s after the session by a query within 60 s, without its notification', () => {
      const times = reconcileQueryTimesMs(defaults, 20);
      for (let paidAtMs = 0; paidAtMs <= 90_000; paidAtMs += 500) {
        const found = times.find((at) => at >= paidAtMs) as number;
        expect(found - paidAtMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('repeats its last delay for ever', () => {
      expect(reconcileDelayMs(defaults, 500)).toBe(600_000);
    });
  });

  describe('given a malformed schedule', () => {
    it.each(['', '5x', '5s*0', '50ms', '1s,,2s'])('names the bad step in "%s"', (text) => {
      expect(typeof parseReconcileSchedule(text)).toBe('string');
    });
  });

  describe('given units and repeats', () => {
    it('reads ms, s and m', () => {
      expect(parseReconcileSchedule('200ms*2,3s,1m')).toEqual([200, 200, 3000, 60_000]);
    });
  });
});
