// Mini programs have timers but no DOM and no fetch: the SDK's lib is ES2018 plus this one module-local declaration.
declare function setTimeout(callback: () => void, ms?: number): unknown;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
}
