import { loadContract, type JsonObject } from '../../../scripts/contract/contract-document';
import { refreshMockTimes, servedByMock } from '../../../scripts/contract/mock-contract';

type Examples = Record<string, { value: Record<string, string> }>;

function examplesOf(contract: JsonObject, path: string, method: string, status: string, media = 'application/json'): Examples {
  const operation = (contract.paths as Record<string, Record<string, { responses: Record<string, JsonObject> }>>)[path]?.[method];
  return ((operation?.responses[status]?.content as Record<string, { examples: Examples }>)[media] as { examples: Examples }).examples;
}

describe('the contract the mock serves', () => {
  const now = new Date('2030-01-01T00:00:00.000Z');
  const refreshed = refreshMockTimes(loadContract(), now);

  describe('given examples marked x-mock-time', () => {
    it("sets a new order's lock 15 minutes after the mock starts", () => {
      expect(examplesOf(refreshed, '/orders', 'post', '201').created?.value.lock_expire_at).toBe('2030-01-01T00:15:00.000Z');
    });

    it('keeps pending, paid and failed locks in the future and the cancelled one in the past', () => {
      const statuses = examplesOf(refreshed, '/payments/{orderId}/status', 'get', '200');
      for (const name of ['pending', 'paid', 'failed']) expect(Date.parse(statuses[name]?.value.lock_expire_at ?? '')).toBeGreaterThan(now.getTime());
      expect(Date.parse(statuses.cancelled?.value.lock_expire_at ?? '')).toBeLessThan(now.getTime());
    });

    it('gives the session timeStamp as Unix seconds of the start', () => {
      expect(examplesOf(refreshed, '/payments/session', 'post', '200').created?.value.timeStamp).toBe(String(now.getTime() / 1000));
    });
  });

  describe('given an operation documenting both 400 and 422', () => {
    it('serves the 422 as default, so that an invalid request gets the 400', () => {
      const served = servedByMock(refreshed);
      const responses = (served.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)['/orders']?.post?.responses ?? {};
      expect(Object.keys(responses)).not.toContain('422');
      expect(responses.default).toEqual(
        (refreshed.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)['/orders']?.post?.responses['422'],
      );
    });
  });
});
