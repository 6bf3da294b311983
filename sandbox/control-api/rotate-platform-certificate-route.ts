import type { RequestHandler } from 'express';
import { createPlatformCertificate } from '../credentials/sandbox-credentials';
import type { SandboxContext } from '../sandbox-context';

/**
 * `POST /sandbox/rotate-platform-certificate`: WeChat Pay issues a new platform certificate, lists it in
 * `GET /v3/certificates` next to the old ones and signs answers and notifications with it. `{"sign": false}` only
 * lists it, as WeChat does 24 h before the switch.
 */
export function handleRotatePlatformCertificate(ctx: SandboxContext): RequestHandler {
  return (req, res) => {
    const sign = (req.body as { sign?: unknown } | undefined)?.sign;
    if (sign !== undefined && typeof sign !== 'boolean') {
      res.status(400).json({ code: 'INVALID_REQUEST', message: 'sign must be a boolean' });
      return;
    }
    const certificate = createPlatformCertificate(ctx.clock());
    ctx.platformCertificates.push(certificate);
    if (sign !== false) ctx.signer.signWithPlatformCertificate(certificate);
    ctx.logger?.info({ serialNo: certificate.serialNo, signing: sign !== false }, 'sandbox issued a new platform certificate');
    res.status(201).json({
      serialNo: certificate.serialNo,
      signingSerialNo: ctx.signer.platformCertificateSerial,
      platformCertificateSerialNos: ctx.platformCertificates.map((listed) => listed.serialNo),
    });
  };
}
