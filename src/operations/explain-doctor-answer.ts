import {
  WechatPayApiError,
  WechatPayNetworkError,
  WechatPayTimeoutError,
  WechatPayVerificationError,
  type SignatureRejectionReason,
  type SignatureVerification,
} from '../wechatpay-sdk';

export interface DoctorVerdict {
  ok: boolean;
  /** One sentence an operator can act on; never a key or a signature. */
  verdict: string;
}

const fail = (verdict: string): DoctorVerdict => ({ ok: false, verdict });

function explainSignature(reason: SignatureRejectionReason, detail: string): DoctorVerdict {
  switch (reason) {
    case 'unknown_serial':
      return fail(
        `unverifiable response signature: WeChat Pay signed with a key that is not configured (${detail}); add it to WECHATPAY_PUBLIC_KEYS or WECHATPAY_PLATFORM_CERTS`,
      );
    case 'bad_signature':
      return fail(
        `unverifiable response signature: ${detail}; the configured key for that serial is the wrong one, or something altered the answer on the way`,
      );
    case 'stale_timestamp':
      return fail(`unverifiable response signature: ${detail}; check this machine's clock (NTP)`);
    case 'probe':
      return fail('WeChat Pay answered with a signature probe (WECHATPAY/SIGNTEST/); run the doctor again');
    case 'missing_headers':
      return fail(`the answer is unsigned (${detail}): something other than WeChat Pay answered, or a proxy strips the Wechatpay-* headers`);
  }
}

function explainNotFound(signature: SignatureVerification | undefined): DoctorVerdict {
  if (!signature) return explainSignature('missing_headers', 'no Wechatpay-Signature');
  if (!signature.ok) return explainSignature(signature.reason, signature.detail);
  return { ok: true, verdict: `signed 404 ORDER_NOT_EXIST as expected: WeChat Pay accepted our signature and its answer verified with ${signature.serial}` };
}

function explainApiError(err: WechatPayApiError): DoctorVerdict {
  const said = `${err.status} ${err.code ?? ''}: ${err.message}`.replace(' :', ':');
  if (err.status === 404 && err.normalizedCode === 'ORDERNOTEXIST') return explainNotFound(err.signature);
  if (err.normalizedCode === 'SIGNERROR')
    return fail(
      `SIGN_ERROR: merchant serial or key wrong (${said}); the certificate, its serial and its private key must be the pair in the merchant platform, and the clock within 5 minutes`,
    );
  if (err.status === 401) return fail(`WeChat Pay refused our authentication (${said})`);
  if (err.status === 400 && err.message.includes('Wechatpay-Serial'))
    return fail(`WeChat Pay does not know the key id we send in Wechatpay-Serial, the first of WECHATPAY_PUBLIC_KEYS / WECHATPAY_PUBLIC_KEY_ID (${said})`);
  if (err.normalizedCode === 'MCHNOTEXISTS') return fail(`WECHATPAY_MCH_ID is unknown to WeChat Pay (${said})`);
  if (err.status === 403) return fail(`the merchant may not use this API (${said}); check the products enabled in the merchant platform`);
  if (err.status === 429) return fail(`WeChat Pay is rate limiting us (${said}); try again later`);
  if (err.status >= 500) return fail(`WeChat Pay is unavailable (${said}); try again later`);
  return fail(`unexpected answer ${said}`);
}

/** What an answer to the doctor's query of an out_trade_no that cannot exist means for the configuration. */
export function explainDoctorAnswer(outcome: { answered: true } | { error: unknown }, baseUrl: string): DoctorVerdict {
  if ('answered' in outcome) return { ok: true, verdict: 'WeChat Pay answered 200 with a verified signature (a transaction with that out_trade_no exists)' };
  const { error } = outcome;
  if (error instanceof WechatPayApiError) return explainApiError(error);
  if (error instanceof WechatPayVerificationError) return explainSignature(error.reason, error.message);
  if (error instanceof WechatPayTimeoutError)
    return fail(`timeout: no answer from ${baseUrl} within ${error.timeoutMs} ms; check egress to WeChat Pay (firewall, proxy)`);
  if (error instanceof WechatPayNetworkError)
    return fail(`cannot reach ${baseUrl}${error.causeCode ? ` (${error.causeCode})` : ''}; check WECHATPAY_BASE_URL, DNS and the firewall`);
  return fail(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
}
