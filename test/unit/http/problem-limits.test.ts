import { loadContract, resolveRef, type JsonObject } from '../../../scripts/contract/contract-document';
import { PROBLEM_LIMITS } from '../../../src/http/problem';

describe('the bounds sendProblem cuts to', () => {
  it("are the Problem schema's own, in openapi.yaml", () => {
    const contract = loadContract();
    const problem = resolveRef(contract, { $ref: '#/components/schemas/Problem' });
    const properties = problem.properties as Record<string, JsonObject>;
    const errors = properties.errors as JsonObject;
    const item = (errors.items as JsonObject).properties as Record<string, JsonObject>;
    expect(PROBLEM_LIMITS).toEqual({
      title: properties.title?.maxLength,
      detail: properties.detail?.maxLength,
      errors: errors.maxItems,
      errorPath: item.path?.maxLength,
      errorMessage: item.message?.maxLength,
    });
  });
});
