import { assertFen, createIdempotencyKey, formatFen, isCancelledByUser } from '../../../miniprogram-sdk/src';

describe('amounts in fen', () => {
  describe('given integer fen', () => {
    it.each([
      [1, '0.01'],
      [8800, '88.00'],
      [8805, '88.05'],
      [100_000_000, '1000000.00'],
    ])('formats %p as %p', (fen, text) => {
      expect(formatFen(fen)).toBe(text);
    });
  });

  describe('given a yuan float or anything else', () => {
    it.each([0.01, 88.5, 0, -1, 100_000_001, Number.NaN, '8800'])('refuses %p', (amount) => {
      expect(() => assertFen(amount)).toThrow(TypeError);
    });
  });
});

describe('Idempotency-Key', () => {
  it('is a UUID v4 that the contract pattern accepts', () => {
    const key = createIdempotencyKey();
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
  });

  it('differs between calls', () => {
    expect(new Set(Array.from({ length: 100 }, () => createIdempotencyKey())).size).toBe(100);
  });
});

describe("wx.requestPayment's errMsg", () => {
  it.each([
    ['requestPayment:fail cancel', true],
    ['requestPayment:cancel', true],
    ['requestPayment:fail 支付失败', false],
    ['requestPayment:fail (detail message)', false],
  ])('%p is a user cancel: %p', (errMsg, cancelled) => {
    expect(isCancelledByUser(errMsg)).toBe(cancelled);
  });
});
