import type { RefundStatus } from '../../../src/persistence/entities/refund';
import { canMoveRefund } from '../../../src/refunds/refund-status-rules';

const ALL: RefundStatus[] = ['PENDING', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL', 'REJECTED'];

describe('refund status rules', () => {
  describe('given a terminal refund (SUCCESS, CLOSED, REJECTED)', () => {
    it.each(['SUCCESS', 'CLOSED', 'REJECTED'] as const)('%s never moves', (from) => {
      expect(ALL.filter((to) => canMoveRefund(from, to))).toEqual([]);
    });
  });

  describe('given a PROCESSING refund', () => {
    it('ends in SUCCESS, CLOSED or ABNORMAL, never back to PENDING or REJECTED', () => {
      expect(ALL.filter((to) => canMoveRefund('PROCESSING', to))).toEqual(['SUCCESS', 'CLOSED', 'ABNORMAL']);
    });
  });

  describe('given an ABNORMAL refund', () => {
    it('moves on once an operator handled it at WeChat', () => {
      expect(ALL.filter((to) => canMoveRefund('ABNORMAL', to))).toEqual(['PROCESSING', 'SUCCESS', 'CLOSED']);
    });
  });
});
