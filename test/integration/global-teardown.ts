/** Stops the embedded PostgreSQL the setup started: no server outlives the tests. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __postgres__?: { stop(): Promise<void> } }).__postgres__?.stop();
}
