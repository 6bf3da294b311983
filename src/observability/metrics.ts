import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per app instance, so two instances in one test process do not share counters.
 * Names follow the design's metric names (`payments.session.created` → `payments_session_created_total`).
 */
export function createMetrics() {
  const registry = new Registry();
  /** Read at scrape time; the composition root points it at the database. */
  const sources: {
    oldestOpenTransactionSeconds: () => Promise<number>;
    /** The platform certificates this instance verifies with (configured and downloaded). */
    platformCertificateExpiries: () => readonly { serial: string; source: string; secondsLeft: number }[];
    statusCacheEntries: () => number;
  } = { oldestOpenTransactionSeconds: async () => 0, platformCertificateExpiries: () => [], statusCacheEntries: () => 0 };
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
    notificationGroups: counter(
      'payments_notification_groups_total',
      'Transactions that applied several notifications at once, by outcome (retried_alone: it failed, and each was applied on its own)',
      ['outcome'],
    ),
    notificationsMismatch: counter('payments_notification_mismatch_total', 'Verified notifications whose transaction disagrees with our records, by field', [
      'field',
    ]),
    paidAfterCancel: counter('payments_paid_after_cancel_total', 'Payments received for orders already cancelled'),
    statusPollsLimited: counter('payments_status_rate_limited_total', 'Status polls refused by the rate limit'),
    sources,
    reconciliations: counter('payments_reconciliation_total', 'Answers to the reconciler and expiry queries, by trade_state (ERROR: no answer)', [
      'trade_state',
    ]),
    expiryCloses: counter('payments_expiry_close_total', 'Transactions closed at seat lock expiry, by outcome', ['outcome']),
    retentionRemoved: counter('retention_rows_removed_total', 'Rows removed by the retention job, by table', ['table']),
    oldestOpenTransactionAge: new Gauge({
      name: 'payments_oldest_open_transaction_age_seconds',
      help: 'Age of the oldest pending order that has a WeChat Pay transaction (grows when reconciliation or expiry is stuck)',
      registers: [registry],
      async collect() {
        this.set(await sources.oldestOpenTransactionSeconds());
      },
    }),
    statusCacheEntries: new Gauge({
      name: 'payments_status_cache_entries',
      help: 'Orders whose status this instance keeps in memory for polls (at most STATUS_CACHE_ENTRIES)',
      registers: [registry],
      collect() {
        this.set(sources.statusCacheEntries());
      },
    }),
    jobsRun: counter('jobs_run_total', 'Job attempts started on this instance, by job', ['job']),
    jobsFailed: counter('jobs_failed_total', 'Job attempts that failed on this instance (retried while attempts remain), by job', ['job']),
    platformCertificateDownloads: counter(
      'wechatpay_platform_certificate_downloads_total',
      'Platform certificate downloads (GET /v3/certificates) on this instance, by outcome (success or the failure kind)',
      ['outcome'],
    ),
    platformCertificateExpiry: new Gauge({
      name: 'wechatpay_platform_certificate_expiry_seconds',
      help: 'Seconds until each platform certificate this instance verifies with expires (min() is the earliest), by serial and source',
      labelNames: ['serial', 'source'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { serial, source, secondsLeft } of sources.platformCertificateExpiries()) this.set({ serial, source }, secondsLeft);
      },
    }),
    requestsLimited: counter('http_rate_limited_total', 'Order, session and login requests refused by a rate limit, by limit', ['limit']),
    refundsRequested: counter('refunds_requested_total', 'Refunds committed, by who asked (admin: an operator, job: the paid-after-cancel job)', ['source']),
    refundStatusChanges: counter('refunds_status_changes_total', 'Refund status moves, by the new status', ['status']),
    refundsAbnormal: counter('refunds_abnormal_total', 'Refunds WeChat Pay reported ABNORMAL: each needs an operator (merchant platform)'),
    refundWechatErrors: counter('refunds_wechat_error_total', 'WeChat Pay failures while requesting a refund, by code', ['code']),
    refundNotificationsReceived: counter('refunds_notification_received_total', 'WeChat Pay refund notifications received'),
    refundNotificationsRejected: counter('refunds_notification_rejected_total', 'Refund notifications refused, by reason (probes under reason="probe")', [
      'reason',
    ]),
    refundNotificationOutcomes: counter('refunds_notification_processed_total', 'Verified refund notifications, by outcome', ['outcome']),
    operatorActions: counter('admin_operator_actions_total', 'Operator API actions, by action and outcome', ['action', 'outcome']),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
