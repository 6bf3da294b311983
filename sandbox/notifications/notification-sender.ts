import type { Logger } from 'pino';
import { buildRefundNotification, buildSuccessNotification, type BuiltNotification } from './build-notification';
import { describeRefundNotice } from '../refund-api/describe-refund';
import type { SandboxRefund } from '../refund-api/refunds-store';
import { describeTransaction } from '../pay-api/describe-transaction';
import { postNotification } from './post-notification';
import type { ResponseSigner } from '../pay-api/sign-sandbox-response';
import type { TrackedTimers } from './tracked-timers';
import type { SandboxTransaction } from '../pay-api/transactions-store';

export interface DeliveryAttempt {
  at: string;
  kind: 'scheduled' | 'resend' | 'probe';
  /** The receiver's HTTP status; null when it did not answer (refused, reset, timeout). */
  status: number | null;
  error?: string;
}

export interface NotificationRecord {
  id: string;
  outTradeNo: string;
  /** Refund notifications only. */
  outRefundNo?: string;
  notifyUrl: string;
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  probe: boolean;
  /** `dropped`: WeChat never delivers it (a notify URL that was down for good); `/sandbox/notifications/resend` still can. */
  state: 'pending' | 'delivered' | 'abandoned' | 'probed' | 'dropped';
  attempts: DeliveryAttempt[];
  body: string;
}

export interface NotificationSenderOptions {
  signer: ResponseSigner;
  apiV3Key: string;
  mchId: string;
  timers: TrackedTimers;
  /** Delays before each retry, in ms, before scaling. */
  schedule: readonly number[];
  timeScale: number;
  clock: () => Date;
  logger?: Logger;
  timeoutMs?: number;
}

const isAcknowledged = (status: number | null) => status !== null && status >= 200 && status < 300;

/** Sends TRANSACTION.SUCCESS notifications, retrying on WeChat's schedule until a 2xx, and records every attempt. */
export class NotificationSender {
  private readonly records: NotificationRecord[] = [];
  private readonly inFlight = new Set<AbortController>();
  private stopped = false;

  constructor(private readonly options: NotificationSenderOptions) {}

  notifySuccess(transaction: SandboxTransaction): NotificationRecord {
    const record = this.createRecord(transaction, false);
    void this.runScheduledAttempt(record, 0);
    return record;
  }

  /** The notification exists (same id and body as a sent one would have) but no attempt is ever scheduled. */
  dropSuccess(transaction: SandboxTransaction): NotificationRecord {
    const record = this.createRecord(transaction, false);
    record.state = 'dropped';
    return record;
  }

  /** REFUND.SUCCESS / ABNORMAL / CLOSED for a settled refund, on the same retry schedule as payment notifications. */
  notifyRefund(refund: SandboxRefund, notifyUrl: string): NotificationRecord {
    const record = this.createRefundRecord(refund, notifyUrl, false);
    void this.runScheduledAttempt(record, 0);
    return record;
  }

  /** A signature probe with a refund notification's body. */
  async probeRefund(refund: SandboxRefund, notifyUrl: string): Promise<NotificationRecord> {
    const record = this.createRefundRecord(refund, notifyUrl, true);
    await this.deliver(record, 'probe');
    record.state = 'probed';
    return record;
  }

  /** One more delivery of an existing notification, as WeChat sometimes sends duplicates: same id and body, fresh signature. */
  async resend(id: string): Promise<DeliveryAttempt | undefined> {
    const record = this.records.find((candidate) => candidate.id === id && !candidate.probe);
    if (!record) return undefined;
    const attempt = await this.deliver(record, 'resend');
    if (isAcknowledged(attempt.status)) record.state = 'delivered';
    return attempt;
  }

  /** A signature probe (`WECHATPAY/SIGNTEST/…`): a correct receiver refuses it with 4xx/5xx. */
  async probe(transaction: SandboxTransaction): Promise<NotificationRecord> {
    const record = this.createRecord(transaction, true);
    await this.deliver(record, 'probe');
    record.state = 'probed';
    return record;
  }

  list(): readonly NotificationRecord[] {
    return this.records;
  }

  /** Cancels in-flight deliveries; pending retries are cleared with the sandbox's timers. */
  stop(): void {
    this.stopped = true;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private createRecord(transaction: SandboxTransaction, probe: boolean): NotificationRecord {
    const built = buildSuccessNotification(describeTransaction(transaction), this.options.apiV3Key, this.options.clock());
    return this.keep(built, { outTradeNo: transaction.order.out_trade_no, notifyUrl: transaction.order.notify_url, eventType: 'TRANSACTION.SUCCESS', probe });
  }

  private createRefundRecord(refund: SandboxRefund, notifyUrl: string, probe: boolean): NotificationRecord {
    const notice = describeRefundNotice(refund, this.options.mchId);
    const built = buildRefundNotification({ ...notice, refund_status: refund.status }, this.options.apiV3Key, this.options.clock());
    const eventType = `REFUND.${refund.status}` as NotificationRecord['eventType'];
    return this.keep(built, { outTradeNo: refund.outTradeNo, outRefundNo: refund.application.out_refund_no, notifyUrl, eventType, probe });
  }

  private keep(
    built: BuiltNotification,
    meta: Pick<NotificationRecord, 'outTradeNo' | 'outRefundNo' | 'notifyUrl' | 'eventType' | 'probe'>,
  ): NotificationRecord {
    const record: NotificationRecord = { id: built.id, ...meta, state: 'pending', attempts: [], body: built.body };
    if (record.outRefundNo === undefined) delete record.outRefundNo;
    this.records.push(record);
    return record;
  }

  private async runScheduledAttempt(record: NotificationRecord, retryIndex: number): Promise<void> {
    if (this.stopped || record.state !== 'pending') return;
    const attempt = await this.deliver(record, 'scheduled');
    if (this.stopped || record.state !== 'pending') return;
    if (isAcknowledged(attempt.status)) {
      record.state = 'delivered';
      return;
    }
    const delay = this.options.schedule[retryIndex];
    if (delay === undefined) {
      record.state = 'abandoned';
      return;
    }
    this.options.timers.schedule(delay * this.options.timeScale, () => void this.runScheduledAttempt(record, retryIndex + 1));
  }

  private async deliver(record: NotificationRecord, kind: DeliveryAttempt['kind']): Promise<DeliveryAttempt> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Mozilla/4.0',
      ...this.options.signer.sign(record.body, { fault: kind === 'probe' ? 'probe' : undefined }),
    };
    const at = this.options.clock().toISOString();
    const outcome = await postNotification(record.notifyUrl, record.body, headers, this.options.timeoutMs ?? 5000, controller.signal);
    this.inFlight.delete(controller);
    // recorded once answered, so a reader never sees an attempt still in flight
    const attempt: DeliveryAttempt = 'status' in outcome ? { at, kind, status: outcome.status } : { at, kind, status: null, error: outcome.error };
    record.attempts.push(attempt);
    this.options.logger?.info(
      { notificationId: record.id, outTradeNo: record.outTradeNo, kind, status: attempt.status, error: attempt.error },
      'sandbox delivered a notification',
    );
    return attempt;
  }
}
