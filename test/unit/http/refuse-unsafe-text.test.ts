import type { NextFunction, Request, Response } from 'express';
import { findUnsafeText, refuseUnsafeText } from '../../../src/http/refuse-unsafe-text';

function refusalOf(req: Partial<Request>): unknown {
  let passed: unknown = 'not called';
  refuseUnsafeText({ path: '/orders', url: '/orders', headers: {}, ...req } as Request, {} as Response, ((err?: unknown) => (passed = err)) as NextFunction);
  return passed;
}

describe('the edge check for U+0000 and lone surrogates', () => {
  describe('given a header carrying one (Node refuses NUL itself; any other way in is caught here)', () => {
    it('refuses it naming the header', () => {
      expect(refusalOf({ headers: { 'idempotency-key': 'key\ud800' } })).toMatchObject({ status: 400, errors: [{ path: '/headers/idempotency-key' }] });
    });
  });

  describe('given an object key carrying one', () => {
    it('names the object holding it', () => {
      expect(findUnsafeText({ outer: { 'a\u0000': 1 } }, '/body')).toBe('/body/outer');
    });
  });

  describe('given a body nested 10,000 levels deep', () => {
    it('walks it without recursion and finds the string at the bottom', () => {
      let nested: unknown = 'a\u0000';
      for (let i = 0; i < 10000; i++) nested = [nested];
      expect(findUnsafeText(nested, '/body')).toBe('/body' + '/0'.repeat(10000));
    });
  });

  describe('given well-formed text, emoji included', () => {
    it('lets the request through', () => {
      expect(refusalOf({ body: { description: 'seat 05A 😀', amount: 1, tags: ['ok'] } })).toBeUndefined();
    });
  });
});
