import type { Logger } from '../observability/logger';
import type { CallLog } from './call-log';
import type { FaultList } from './faults';
import type { NotificationSender } from './notification-sender';
import type { SandboxCredentials } from './sandbox-credentials';
import type { ResponseSigner } from './sign-sandbox-response';
import type { TrackedTimers } from './tracked-timers';
import type { TransactionsStore } from './transactions-store';

/** The state of one running sandbox, shared by its routes. */
export interface SandboxContext {
  credentials: SandboxCredentials;
  now: () => Date;
  logger?: Logger;
  signer: ResponseSigner;
  store: TransactionsStore;
  faults: FaultList;
  calls: CallLog;
  timers: TrackedTimers;
  notifications: NotificationSender;
  /** js_codes already exchanged: a code works once. */
  usedLoginCodes: Set<string>;
}
