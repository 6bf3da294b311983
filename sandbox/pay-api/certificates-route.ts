import { X509Certificate } from 'node:crypto';
import { encryptAes256Gcm } from '../../src/wechatpay-sdk';
import { formatBeijingTime } from '../../src/wechatpay-sdk';
import { generateAlphanumeric } from './generate-wechat-ids';
import type { SandboxContext } from '../sandbox-context';
import type { SandboxPlatformCertificate } from '../credentials/sandbox-credentials';
import type { WechatPayHandler } from './serve-wechat-call';
import { replyError, replyOk } from './wechat-pay-reply';

function describeCertificate(ctx: SandboxContext, { certificatePem, serialNo }: SandboxPlatformCertificate) {
  const certificate = new X509Certificate(certificatePem);
  const nonce = generateAlphanumeric(12);
  return {
    serial_no: serialNo,
    effective_time: formatBeijingTime(new Date(certificate.validFrom)),
    expire_time: formatBeijingTime(new Date(certificate.validTo)),
    encrypt_certificate: {
      algorithm: 'AEAD_AES_256_GCM',
      nonce,
      associated_data: 'certificate',
      ciphertext: encryptAes256Gcm(ctx.credentials.apiV3Key, nonce, 'certificate', certificatePem),
    },
  };
}

/**
 * `GET /v3/certificates`: every platform certificate of the merchant (old and new side by side after a rotation),
 * each encrypted with the APIv3 key. A merchant that only has a WeChat Pay public key (every new merchant) gets
 * RESOURCE_NOT_EXISTS instead.
 */
export function handleCertificates(ctx: SandboxContext): WechatPayHandler {
  return () => {
    if (ctx.signer.mode === 'public-key') return replyError(404, 'RESOURCE_NOT_EXISTS', '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥');
    return replyOk({ data: ctx.platformCertificates.map((certificate) => describeCertificate(ctx, certificate)) });
  };
}
