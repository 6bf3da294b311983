import { SEAT_LOCK_SAFETY_MARGIN_MS, assertOrderCanBePaid, canTransition, isLapsed, isPaidInTime, statusAsRead } from '../../../src/orders/order-status-rules';
import type { OrderStatus } from '../../../src/persistence/entities/order';
import { formatBeijingTime } from '../../../src/wechatpay-sdk';

const STATUSES: OrderStatus[] = ['pending', 'paid', 'failed', 'cancelled'];
const now = new Date('2026-11-22T10:00:00Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const order = (status: OrderStatus, lockEndsInMs: number, amount = 8800) => ({ status, amount, lockExpireAt: at(lockEndsInMs) });

describe('order status rules', () => {
  describe('transitions', () => {
    it('leave pending only, never return to pending, and terminal states absorb', () => {
      for (const from of STATUSES) {
        for (const to of STATUSES) expect(canTransition(from, to)).toBe(from === 'pending' && to !== 'pending');
      }
    });
  });

  describe('given a pending order past its seat lock, not yet closed', () => {
    it('reads as pending (the expiry job decides, after asking WeChat)', () => {
      expect(statusAsRead(order('pending', -1000))).toBe('pending');
    });

    it('is lapsed', () => {
      expect(isLapsed(order('pending', -1000), now)).toBe(true);
    });
  });

  describe('given a pending order within its seat lock', () => {
    it('reads as pending and is not lapsed', () => {
      expect(statusAsRead(order('pending', 1000))).toBe('pending');
      expect(isLapsed(order('pending', 1000), now)).toBe(false);
    });
  });

  describe('given a terminal order', () => {
    it.each(['paid', 'failed', 'cancelled'] as const)('reads %s whatever the clock says, and is never lapsed', (status) => {
      expect(statusAsRead(order(status, -1000))).toBe(status);
      expect(isLapsed(order(status, -1000), now)).toBe(false);
    });
  });

  describe('what may be paid', () => {
    it.each([
      ['paid', 'ORDER_ALREADY_PAID'],
      ['cancelled', 'ORDER_CANCELLED'],
      ['failed', 'ORDER_FAILED'],
    ] as const)('refuses a %s order with %s', (status, code) => {
      expect(() => assertOrderCanBePaid(order(status, 600_000), now)).toThrow(expect.objectContaining({ code }));
    });

    it('refuses a seat lock that ends within the safety margin with ORDER_EXPIRED', () => {
      expect(() => assertOrderCanBePaid(order('pending', SEAT_LOCK_SAFETY_MARGIN_MS - 1), now)).toThrow(expect.objectContaining({ code: 'ORDER_EXPIRED' }));
    });

    it('refuses a zero amount with ORDER_FAILED', () => {
      expect(() => assertOrderCanBePaid(order('pending', 600_000, 0), now)).toThrow(expect.objectContaining({ code: 'ORDER_FAILED' }));
    });

    it('accepts a pending order whose lock outlasts the margin', () => {
      expect(() => assertOrderCanBePaid(order('pending', SEAT_LOCK_SAFETY_MARGIN_MS), now)).not.toThrow();
    });
  });

  describe('a payment made in time', () => {
    it('counts when success_time is within the seat lock and the order is still pending', () => {
      expect(isPaidInTime(order('pending', 5000), at(4000))).toBe(true);
    });

    it('counts after the lock ended too, when success_time was within it (a late notification)', () => {
      expect(isPaidInTime(order('pending', -1000), at(-2000))).toBe(true);
    });

    it('does not count when success_time is after the seat lock', () => {
      expect(isPaidInTime(order('pending', 5000), at(6000))).toBe(false);
    });

    it('does not count once the order is cancelled, even if paid before the lock ended', () => {
      expect(isPaidInTime(order('cancelled', -1000), at(-2000))).toBe(false);
    });
  });

  it('writes time_expire as RFC 3339 in China Standard Time, seconds precision', () => {
    expect(formatBeijingTime(new Date('2026-11-22T17:15:30.999Z'))).toBe('2026-11-23T01:15:30+08:00');
  });
});
