/**
 * WeChat's guide asks for a reasonable query schedule ("合理查单机制") when no notification came; Jeepay's is every
 * 5 s for the first 30 s after the session, then 1, 2, 5 and 10 minutes, then every 10 minutes until closed.
 */
export const DEFAULT_RECONCILE_SCHEDULE = '5s*6,1m,2m,5m,10m';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `5s*6,1m,2m` → delays in ms; a string naming what is wrong otherwise. */
export function parseReconcileSchedule(text: string): number[] | string {
  const delays: number[] = [];
  for (const step of text.split(',').map((part) => part.trim())) {
    const match = /^(\d+)(ms|s|m)(?:\*(\d+))?$/.exec(step);
    if (!match) return `step "${step}" is not <number><ms|s|m>[*<times>]`;
    const delay = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    const times = match[3] === undefined ? 1 : Number(match[3]);
    if (delay < 100 || times < 1 || times > 100) return `step "${step}" must wait at least 100ms and repeat 1 to 100 times`;
    for (let i = 0; i < times; i++) delays.push(delay);
  }
  return delays;
}
