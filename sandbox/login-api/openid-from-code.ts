import { createHmac } from 'node:crypto';

/**
 * The traveler a login code stands for: the code up to its first `-` or `_` (the whole code when it has neither),
 * so `alice-1` and `alice_2` log in the same traveler, `bob-1` another one.
 */
export function travelerOfCode(code: string): string {
  return code.split(/[-_]/, 1)[0] || code;
}

function digest(appId: string, message: string, length: number): string {
  return createHmac('sha256', appId).update(message, 'utf8').digest('base64url').slice(0, length);
}

/**
 * 28 characters like a real openid: `o`, 15 characters from HMAC-SHA256(appId, "openid:" + traveler),
 * 12 check characters from HMAC-SHA256(appId, "check:" + those 15). Stable for a given appid and traveler,
 * different under another appid, and checkable without state (see `isOpenidOfApp`).
 */
export function deriveOpenid(appId: string, traveler: string): string {
  const body = digest(appId, `openid:${traveler}`, 15);
  return `o${body}${digest(appId, `check:${body}`, 12)}`;
}

/** WeChat Pay refuses an openid issued under another appid; the check characters make that decidable here. */
export function isOpenidOfApp(appId: string, openid: string): boolean {
  if (openid.length !== 28 || !openid.startsWith('o')) return false;
  const body = openid.slice(1, 16);
  return openid.slice(16) === digest(appId, `check:${body}`, 12);
}
