import { generateDigits } from '../pay-api/generate-wechat-ids';

export type SandboxRefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

/** A validated body of `POST /v3/refund/domestic/refunds`. */
export interface RefundApplication {
  out_trade_no?: string;
  transaction_id?: string;
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  funds_account?: string;
  amount: { refund: number; total: number; currency: string };
}

export interface SandboxRefund {
  application: RefundApplication;
  /** The exact bytes of the first request: a re-sent out_refund_no is re-entrant only with the same body. */
  firstBody: string;
  bodies: string[];
  outTradeNo: string;
  transactionId: string;
  refundId: string;
  status: SandboxRefundStatus;
  createdAt: Date;
  successTime?: Date;
  /** Where the refund ends once processing is over (SUCCESS unless forced or armed otherwise). */
  outcome: Exclude<SandboxRefundStatus, 'PROCESSING'>;
}

/** `50000000382019052709732678859`: 29 digits starting 50, as WeChat's refund ids. */
function generateRefundId(): string {
  return `50${generateDigits(27)}`;
}

/** The sandbox merchant's refunds, in memory, keyed by out_refund_no (unique per merchant). */
export class RefundsStore {
  private readonly byOutRefundNo = new Map<string, SandboxRefund>();
  private armedOutcomes: Exclude<SandboxRefundStatus, 'PROCESSING'>[] = [];

  find(outRefundNo: string): SandboxRefund | undefined {
    return this.byOutRefundNo.get(outRefundNo);
  }

  forTransaction(outTradeNo: string): SandboxRefund[] {
    return [...this.byOutRefundNo.values()].filter((refund) => refund.outTradeNo === outTradeNo);
  }

  /** Fen of a transaction already refunded or being refunded: every refund but the CLOSED ones. */
  committedAmount(outTradeNo: string): number {
    return this.forTransaction(outTradeNo)
      .filter((refund) => refund.status !== 'CLOSED')
      .reduce((sum, refund) => sum + refund.application.amount.refund, 0);
  }

  create(application: RefundApplication, raw: string, transaction: { outTradeNo: string; transactionId: string }, now: Date): SandboxRefund {
    const refund: SandboxRefund = {
      application,
      firstBody: raw,
      bodies: [raw],
      outTradeNo: transaction.outTradeNo,
      transactionId: transaction.transactionId,
      refundId: generateRefundId(),
      status: 'PROCESSING',
      createdAt: now,
      outcome: this.armedOutcomes.shift() ?? 'SUCCESS',
    };
    this.byOutRefundNo.set(application.out_refund_no, refund);
    return refund;
  }

  /** The next `count` refunds end in `status` instead of SUCCESS (fault injection: ABNORMAL, CLOSED). */
  armOutcome(status: Exclude<SandboxRefundStatus, 'PROCESSING'>, count: number): void {
    for (let i = 0; i < count; i++) this.armedOutcomes.push(status);
  }

  armed(): readonly string[] {
    return this.armedOutcomes;
  }

  clearArmed(): void {
    this.armedOutcomes = [];
  }
}
