import { readContract } from '../../../src/http/contract';
import { compileStatusPollContract, STATUS_POLL_PATH } from '../../../src/http/status-poll-contract';

interface Operation {
  parameters: unknown[];
  security?: unknown[];
}
interface Contract {
  paths: Record<string, { get: Operation }>;
  security?: unknown[];
}

const changed = (change: (operation: Operation, contract: Contract) => void): Record<string, unknown> => {
  const contract = structuredClone(readContract()) as unknown as Contract;
  change((contract.paths[STATUS_POLL_PATH] as { get: Operation }).get, contract);
  return contract as unknown as Record<string, unknown>;
};

describe('the status poll contract, compiled from openapi.yaml', () => {
  const checks = compileStatusPollContract(readContract(), true);

  describe('the orderId path parameter', () => {
    it.each([
      ['a uuid', '3f2b8c1e-6a1d-4f7b-9c3e-2d5a8b7c6e10'],
      ['64 characters', 'a'.repeat(64)],
    ])('accepts %s', (_name, value) => {
      expect(checks.isValidOrderId(value)).toBe(true);
    });

    it.each([
      ['65 characters', 'a'.repeat(65)],
      ['an empty string', ''],
    ])('refuses %s', (_name, value) => {
      expect(checks.isValidOrderId(value)).toBe(false);
    });
  });

  describe('with VALIDATE_RESPONSES', () => {
    const problem = (status: number, code: string) => ({ type: `/docs/problems#${code}`, title: 'T', status, code, detail: 'd', request_id: 'r' });

    it('accepts a status the contract describes, with or without its refund', () => {
      expect(checks.responseProblem?.(200, { status: 'paid', lock_expire_at: '2026-12-01T10:00:00.000Z' })).toBeUndefined();
      expect(
        checks.responseProblem?.(200, { status: 'paid', lock_expire_at: '2026-12-01T10:00:00.000Z', refund: { status: 'refunded', amount: 8800 } }),
      ).toBeUndefined();
    });

    it('names what is wrong in a body the contract does not describe', () => {
      expect(checks.responseProblem?.(200, { status: 'settled', lock_expire_at: '2026-12-01T10:00:00.000Z' })).toContain('/status');
      expect(checks.responseProblem?.(200, { status: 'paid', lock_expire_at: 'tomorrow' })).toContain('lock_expire_at');
      expect(
        checks.responseProblem?.(200, { status: 'paid', lock_expire_at: '2026-12-01T10:00:00.000Z', refund: { status: 'refunded', amount: 0 } }),
      ).toContain('amount');
    });

    it('checks problems against their documented schema', () => {
      expect(checks.responseProblem?.(429, problem(429, 'RATE_LIMITED'))).toBeUndefined();
      expect(checks.responseProblem?.(404, { title: 'Not found' })).toBeDefined();
    });

    it('refuses a status the operation does not document, and leaves 5xx bodies alone as the validator does', () => {
      expect(checks.responseProblem?.(201, {})).toContain('not documented');
      expect(checks.responseProblem?.(500, problem(500, 'INTERNAL'))).toBeUndefined();
    });
  });

  describe('without VALIDATE_RESPONSES', () => {
    it('checks no response', () => {
      expect(compileStatusPollContract(readContract(), false).responseProblem).toBeUndefined();
    });
  });

  describe('given a contract the route does not check exactly', () => {
    it.each([
      ['a query parameter', (operation: Operation) => operation.parameters.push({ name: 'verbose', in: 'query', schema: { type: 'boolean' } })],
      [
        'a header parameter',
        (operation: Operation) => operation.parameters.push({ name: 'X-Device', in: 'header', required: true, schema: { type: 'string' } }),
      ],
      ['no security of its own but another default', (_operation: Operation, contract: Contract) => (contract.security = [{ operatorKey: [] }])],
      ['an open route', (operation: Operation) => (operation.security = [])],
    ])('given %s, refuses to start', (_name, change) => {
      expect(() => compileStatusPollContract(changed(change), false)).toThrow(STATUS_POLL_PATH);
    });
  });
});
