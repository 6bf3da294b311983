import { batchedLookup } from '../../../src/persistence/batched-lookup';

interface Row {
  id: string;
  value: number;
}

function recordingReader(rows: Row[]) {
  const calls: string[][] = [];
  const readMany = async (keys: string[]) => {
    calls.push(keys);
    return rows.filter((row) => keys.includes(row.id));
  };
  return { calls, readMany };
}

describe('batched lookups', () => {
  const rows = [
    { id: 'a', value: 1 },
    { id: 'b', value: 2 },
  ];

  describe('given lookups asked for in the same turn', () => {
    it('reads them in one statement and answers each with its own row, or undefined when there is none', async () => {
      const reader = recordingReader(rows);
      const lookup = batchedLookup(reader.readMany, (row) => row.id);
      const answers = await Promise.all([lookup('a'), lookup('b'), lookup('missing'), lookup('a')]);
      expect(answers).toEqual([rows[0], rows[1], undefined, rows[0]]);
      expect(reader.calls).toEqual([['a', 'b', 'missing']]);
    });
  });

  describe('given lookups in separate turns', () => {
    it('reads each turn on its own', async () => {
      const reader = recordingReader(rows);
      const lookup = batchedLookup(reader.readMany, (row) => row.id);
      await lookup('a');
      await lookup('b');
      expect(reader.calls).toEqual([['a'], ['b']]);
    });
  });

  describe('given more keys in one turn than a batch holds', () => {
    it('splits them into batches of at most that many keys', async () => {
      const reader = recordingReader(rows);
      const lookup = batchedLookup(reader.readMany, (row) => row.id, 2);
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => lookup(key)));
      expect(reader.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    });
  });

  describe('given the read fails', () => {
    it('rejects every lookup of that batch and none of the next', async () => {
      let fail = true;
      const lookup = batchedLookup(
        async (keys: string[]) => {
          if (fail) throw new Error('database unavailable');
          return rows.filter((row) => keys.includes(row.id));
        },
        (row) => row.id,
      );
      const failed = await Promise.allSettled([lookup('a'), lookup('b')]);
      expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      fail = false;
      await expect(lookup('b')).resolves.toEqual(rows[1]);
    });
  });
});
