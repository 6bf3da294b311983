import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per app instance, so two instances in one test process do not share counters.
 * Names follow the design's metric names (`payments.session.created` → `payments_session_created_total`).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });

  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ordersCreated: counter('orders_created_total', 'Orders created'),
    sessionCreated: counter('payments_session_created_total', 'Payment sessions created with a new WeChat Pay prepay call (payments.session.created)'),
    sessionDuplicate: counter('payments_session_duplicate_total', 'Payment session requests answered from the stored parameters (payments.session.duplicate)'),
    sessionWechatError: counter(
      'payments_session_wechat_error_total',
      "WeChat Pay failures while creating a session, by WeChat's code verbatim (OTHER outside the documented set), or TIMEOUT, NETWORK, SIGNATURE_… (payments.session.wechat_error)",
      ['code'],
    ),
    wechatPayCalls: counter('wechatpay_calls_total', 'Calls to WeChat Pay by operation and outcome', ['operation', 'outcome']),
    notificationsReceived: counter('payments_notification_received_total', 'WeChat Pay notifications received'),
    notificationsVerified: counter('payments_notification_verified_total', 'Notifications whose signature and ciphertext verified'),
    notificationsRejected: counter('payments_notification_rejected_total', 'Notifications refused, by reason (probes under reason="probe")', ['reason']),
    notificationsDuplicate: counter('payments_notification_duplicate_total', 'Notifications already processed'),
    notificationsApplied: counter('payments_notification_applied_total', 'Notifications that changed an order state'),
    notificationsMismatch: counter('payments_notification_mismatch_total', 'Verified notifications whose transaction disagrees with our records, by field', [
      'field',
    ]),
    paidAfterCancel: counter('payments_paid_after_cancel_total', 'Payments received for orders already cancelled'),
    statusPollsLimited: counter('payments_status_rate_limited_total', 'Status polls refused by the rate limit'),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
