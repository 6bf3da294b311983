import { randomBytes, randomInt } from 'node:crypto';
import { formatCompactBeijingTime } from '../../src/wechatpay-sdk';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateCharacters(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function generateDigits(length: number): string {
  return generateCharacters('0123456789', length);
}

export function generateAlphanumeric(length: number): string {
  return generateCharacters(ALPHANUMERIC, length);
}

export function generateHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Shaped like `wx201410272009395522657a690389285100`: `wx`, Beijing time to the second, 20 hex digits. */
export function generatePrepayId(now: Date): string {
  return `wx${formatCompactBeijingTime(now)}${generateHex(10)}`;
}

/** 28 digits starting `4200`, like the transaction ids of real JSAPI payments. */
export function generateTransactionId(now: Date): string {
  return `420000${generateDigits(4)}${formatCompactBeijingTime(now).slice(0, 8)}${generateDigits(10)}`;
}

/** Like `0891D295920610860318D7DB8C582093AF0128EA9805-270924337`: the suffix is the numeric error code (0 when none). */
export function generateRequestId(errorNumber = 0): string {
  return `${generateHex(21).toUpperCase()}-${errorNumber}`;
}
