import { canTransition } from '../../../src/payments/transition-order-status';
import { effectiveStatus } from '../../../src/payments/get-payment-status';
import { formatBeijingTime } from '../../../src/wechatpay/beijing-time';
import type { OrderStatus } from '../../../src/persistence/entities/order';

const STATUSES: OrderStatus[] = ['pending', 'paid', 'failed', 'cancelled'];

describe('order status rules', () => {
  it('leaves pending only, never returns to pending, and terminal states absorb', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        expect(canTransition(from, to)).toBe(from === 'pending' && to !== 'pending');
      }
    }
  });

  it('reads a pending order past its seat lock as cancelled, and nothing else changes', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const expired = new Date('2026-11-22T09:59:59Z');
    expect(effectiveStatus({ status: 'pending', lockExpireAt: expired }, now)).toBe('cancelled');
    expect(effectiveStatus({ status: 'pending', lockExpireAt: new Date('2026-11-22T10:00:01Z') }, now)).toBe('pending');
    expect(effectiveStatus({ status: 'paid', lockExpireAt: expired }, now)).toBe('paid');
  });

  it('writes time_expire as RFC 3339 in China Standard Time, seconds precision', () => {
    expect(formatBeijingTime(new Date('2026-11-22T17:15:30.999Z'))).toBe('2026-11-23T01:15:30+08:00');
  });
});
