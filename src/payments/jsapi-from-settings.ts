import type { WechatPaySettings } from '../config/env';
import { createMerchantSigner, createVerificationKeys, type JsapiServiceOptions } from '../wechatpay-sdk';

/** The SDK's options from our settings: the signer and the verification keys are built here, once. */
export function jsapiOptionsFromSettings(
  settings: WechatPaySettings,
): Pick<JsapiServiceOptions, 'baseUrl' | 'appId' | 'mchId' | 'signer' | 'keys' | 'timeoutMs'> {
  return {
    baseUrl: settings.payBaseUrl,
    appId: settings.appId,
    mchId: settings.mchId,
    signer: createMerchantSigner(settings),
    keys: createVerificationKeys(settings),
    timeoutMs: settings.timeoutMs,
  };
}
