import type { Logger } from 'pino';
import type { CallLog } from './control-api/call-log';
import type { FaultList } from './pay-api/faults';
import type { NotificationSender } from './notifications/notification-sender';
import type { SandboxCredentials, SandboxPlatformCertificate } from './credentials/sandbox-credentials';
import type { ResponseSigner } from './pay-api/sign-sandbox-response';
import type { TrackedTimers } from './notifications/tracked-timers';
import type { TransactionsStore } from './pay-api/transactions-store';
import type { RefundsStore } from './refund-api/refunds-store';

/** The state of one running sandbox, shared by its routes. */
export interface SandboxContext {
  credentials: SandboxCredentials;
  clock: () => Date;
  logger?: Logger;
  signer: ResponseSigner;
  /** What `GET /v3/certificates` lists: the platform certificate, the rotated one, and any added by a rotation call. */
  platformCertificates: SandboxPlatformCertificate[];
  store: TransactionsStore;
  refunds: RefundsStore;
  /** How long a refund stays PROCESSING before it settles and WeChat notifies. */
  refundProcessingMs: number;
  faults: FaultList;
  calls: CallLog;
  timers: TrackedTimers;
  notifications: NotificationSender;
  /** js_codes already exchanged: a code works once. */
  usedLoginCodes: Set<string>;
}
