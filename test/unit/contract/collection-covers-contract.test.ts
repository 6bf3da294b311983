import { readFileSync } from 'node:fs';
import { COLLECTION_FILE, renderCollection } from '../../../scripts/contract/build-collection';
import { MOCK_FOLDER } from '../../../scripts/contract/collection-mock-items';
import { SANDBOX_FOLDER } from '../../../scripts/contract/collection-sandbox-items';
import { listOperations, loadContract } from '../../../scripts/contract/contract-document';

interface CollectionItem {
  name: string;
  item?: CollectionItem[];
  request?: { method: string; url: string | { raw: string } };
  event?: { listen: string; script: { exec: string[] } }[];
}

const committed = readFileSync(COLLECTION_FILE, 'utf8');
const collection = JSON.parse(committed) as { item: CollectionItem[] };
const operations = listOperations(loadContract());

function requestsIn(items: CollectionItem[]): CollectionItem[] {
  return items.flatMap((item) => (item.item ? requestsIn(item.item) : [item]));
}

function folderNamed(name: string): CollectionItem {
  const found = collection.item.find((item) => item.name === name);
  if (!found?.item) throw new Error(`the collection has no folder "${name}"`);
  return found;
}

/** `{{baseUrl}}/payments/{{orderId}}/status` matches `/payments/{orderId}/status`: a template segment matches any value. */
function callsOperation(request: CollectionItem, method: string, path: string): boolean {
  if (request.request?.method !== method) return false;
  const url = typeof request.request.url === 'string' ? request.request.url : request.request.url.raw;
  if (!url.startsWith('{{baseUrl}}')) return false;
  const actual = url.slice('{{baseUrl}}'.length).split('?')[0]!.split('/');
  const documented = path.split('/');
  return actual.length === documented.length && documented.every((segment, i) => /^\{.+\}$/.test(segment) || segment === actual[i]);
}

const testScript = (request: CollectionItem) => request.event?.find((event) => event.listen === 'test')?.script.exec.join('\n') ?? '';

describe('the Postman collection', () => {
  it('is the one scripts/contract/build-collection.ts builds (run: npx tsx scripts/contract/build-collection.ts)', () => {
    expect(committed).toBe(renderCollection());
  });

  describe.each([SANDBOX_FOLDER, MOCK_FOLDER])('folder "%s"', (folderName) => {
    const requests = requestsIn(folderNamed(folderName).item ?? []);

    it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('has a request for %s', (_label, op) => {
      expect(requests.filter((request) => callsOperation(request, op.method, op.path)).map((request) => request.name)).not.toEqual([]);
    });

    it('asserts something with pm.test in every request', () => {
      const withoutTests = requests.filter((request) => !/\bpm\.test\(/.test(testScript(request))).map((request) => request.name);
      expect(withoutTests).toEqual([]);
    });
  });
});
