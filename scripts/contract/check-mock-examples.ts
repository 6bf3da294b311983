import { isDeepStrictEqual } from 'node:util';
import { listOperations, requiresToken, resolveRef, type ContractOperation, type JsonObject } from './contract-document';

/** One documented answer: an operation's status and, when the response has examples, one example's name. */
interface DocumentedAnswer {
  operation: ContractOperation;
  status: string;
  mediaType?: string;
  example?: { name: string; value: unknown };
}

export interface ExampleCheckOutcome {
  checked: number;
  problems: string[];
}

function documentedAnswers(contract: JsonObject): DocumentedAnswer[] {
  return listOperations(contract).flatMap((operation) =>
    Object.entries((operation.operation.responses ?? {}) as JsonObject).flatMap(([status, ref]) => {
      const response = resolveRef(contract, ref);
      const [mediaType, media] = Object.entries((response.content ?? {}) as Record<string, JsonObject>)[0] ?? [];
      const examples = Object.entries((media?.examples ?? {}) as Record<string, JsonObject>);
      if (examples.length === 0) return [{ operation, status, mediaType }];
      return examples.map(([name, example]) => ({ operation, status, mediaType, example: { name, value: resolveRef(contract, example).value } }));
    }),
  );
}

/** Prism validates every request, so each one must satisfy the contract: documented examples fill it in. */
function validRequest(contract: JsonObject, { operation, path }: ContractOperation): { path: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {};
  let filledPath = path;
  for (const ref of (operation.parameters ?? []) as unknown[]) {
    const parameter = resolveRef(contract, ref);
    // HTTP headers are Latin-1: an example such as 'W6r1n…==' cannot be sent as written.
    const value = String(parameter.example ?? 'example').replace(/[^\x20-\x7e]/g, '');
    if (parameter.in === 'path') filledPath = filledPath.replace(`{${String(parameter.name)}}`, encodeURIComponent(value));
    if (parameter.in === 'header' && parameter.required) headers[String(parameter.name)] = value;
  }
  if (requiresToken(contract, operation)) headers.Authorization = 'Bearer mock-token';
  const media = ((resolveRef(contract, operation.requestBody ?? {}).content ?? {}) as Record<string, JsonObject>)['application/json'];
  if (!media) return { path: filledPath, headers };
  const firstExample = Object.values((media.examples ?? {}) as Record<string, JsonObject>)[0];
  headers['Content-Type'] = 'application/json';
  return { path: filledPath, headers, body: JSON.stringify(firstExample ? resolveRef(contract, firstExample).value : (media.example ?? {})) };
}

async function checkAnswer(contract: JsonObject, mockUrl: string, answer: DocumentedAnswer): Promise<string | undefined> {
  const { operation, status, mediaType, example } = answer;
  const request = validRequest(contract, operation);
  const prefer = example ? `code=${status}, example=${example.name}` : `code=${status}`;
  const response = await fetch(`${mockUrl}${request.path}`, { method: operation.method, headers: { ...request.headers, Prefer: prefer }, body: request.body });
  const text = await response.text();
  if (String(response.status) !== status) return `answered ${response.status}: ${text.slice(0, 300)}`;
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType && contentType !== mediaType) return `answered Content-Type ${contentType}, documented ${mediaType}`;
  if (example && !isDeepStrictEqual(JSON.parse(text), example.value)) return `answered a body other than the example: ${text.slice(0, 300)}`;
  return undefined;
}

/** Asks the Prism mock for every documented (status, example) of every operation and checks it comes back as written. */
export async function checkMockServesEveryExample(contract: JsonObject, mockUrl: string): Promise<ExampleCheckOutcome> {
  const answers = documentedAnswers(contract);
  const problems: string[] = [];
  for (const answer of answers) {
    const label = `${answer.operation.method} ${answer.operation.path} ${answer.status}${answer.example ? ` example=${answer.example.name}` : ''}`;
    const problem = await checkAnswer(contract, mockUrl, answer).catch((err: unknown) => `request failed: ${String(err)}`);
    if (problem) problems.push(`mock ${label}: ${problem}`);
  }
  return { checked: answers.length, problems };
}
