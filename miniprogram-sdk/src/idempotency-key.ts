/**
 * A random UUID v4 for the Idempotency-Key. Mini programs lack randomUUID; the key only has to be
 * unique per intended order (it is not a secret), so Math.random is enough.
 */
export function createIdempotencyKey(random: () => number = Math.random): string {
  const hex = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
