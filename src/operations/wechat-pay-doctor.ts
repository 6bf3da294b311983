import { randomBytes } from 'node:crypto';
import type { WechatPaySettings } from '../config/env';
import { createJsapiService, createMerchantSigner, createVerificationKeys } from '../wechatpay-sdk';
import { explainDoctorAnswer, type DoctorVerdict } from './explain-doctor-answer';

export interface DoctorFinding extends DoctorVerdict {
  merchantSerialNo: string;
  role: 'signing' | 'standby';
}

export interface DoctorReport {
  ok: boolean;
  findings: DoctorFinding[];
}

/** 6–32 of `[0-9A-Za-z_-|*]`; never one of our own out_trade_nos (those are hex from the order id). */
const probeOutTradeNo = () => `doctor-${randomBytes(8).toString('hex')}`;

async function queryWithCertificate(
  settings: WechatPaySettings,
  certificate: { serialNo: string; certificatePem: string; privateKeyPem: string },
  clock: () => Date,
) {
  const signer = createMerchantSigner({
    mchId: settings.mchId,
    merchantSerialNo: certificate.serialNo,
    merchantCertificatePem: certificate.certificatePem,
    merchantPrivateKeyPem: certificate.privateKeyPem,
  });
  const jsapi = createJsapiService({
    baseUrl: settings.payBaseUrl,
    appId: settings.appId,
    mchId: settings.mchId,
    signer,
    keys: createVerificationKeys(settings),
    timeoutMs: settings.timeoutMs,
    clock,
    // One call, one answer to explain: a retry would only hide what went wrong.
    retry: { attempts: 0, baseDelayMs: 0 },
  });
  try {
    await jsapi.queryByOutTradeNo(probeOutTradeNo());
    return explainDoctorAnswer({ answered: true }, settings.payBaseUrl);
  } catch (error) {
    return explainDoctorAnswer({ error }, settings.payBaseUrl);
  }
}

/**
 * One signed, harmless call per merchant certificate: a query of an out_trade_no that does not exist. WeChat Pay's
 * signed 404 ORDER_NOT_EXIST proves the merchant id, the certificate serial and key, the clock and the WeChat Pay
 * key that verifies answers; anything else is explained.
 */
export async function runWechatPayDoctor(settings: WechatPaySettings, clock: () => Date = () => new Date()): Promise<DoctorReport> {
  const certificates = [
    {
      role: 'signing' as const,
      serialNo: settings.merchantSerialNo,
      certificatePem: settings.merchantCertificatePem,
      privateKeyPem: settings.merchantPrivateKeyPem,
    },
    ...settings.standbyMerchantCertificates.map((certificate) => ({ role: 'standby' as const, ...certificate })),
  ];
  const findings: DoctorFinding[] = [];
  for (const { role, ...certificate } of certificates) {
    findings.push({ merchantSerialNo: certificate.serialNo, role, ...(await queryWithCertificate(settings, certificate, clock)) });
  }
  return { ok: findings.every((finding) => finding.ok), findings };
}

export function formatDoctorReport(report: DoctorReport): string {
  return report.findings
    .map((finding) => `${finding.ok ? 'ok  ' : 'FAIL'} merchant certificate ${finding.merchantSerialNo} (${finding.role}): ${finding.verdict}`)
    .join('\n');
}
