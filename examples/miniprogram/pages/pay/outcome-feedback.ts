import { guidanceFor, type PayResult } from 'wechat-payment-session-miniprogram';

export interface Feedback {
  toast: string;
  icon: 'success' | 'error' | 'none';
  /** Shown on the page after the toast. */
  hint?: string;
  /** The order can no longer be paid: the next tap creates a new one. */
  forgetOrder: boolean;
}

/** One clear message per outcome, as the guide asks: never a raw errMsg or detail. */
export function feedbackFor(result: PayResult): Feedback {
  switch (result.outcome) {
    case 'paid':
      return { toast: '支付成功', icon: 'success', forgetOrder: true };
    case 'cancelled_by_user':
      return { toast: '已取消支付', icon: 'none', hint: '订单已保留，可再次支付', forgetOrder: false };
    case 'failed':
      return { toast: '支付失败', icon: 'error', hint: '未扣款，请重试或更换支付方式', forgetOrder: false };
    case 'expired':
      return { toast: '订单已过期', icon: 'none', hint: '座位已释放，请重新下单', forgetOrder: true };
    case 'still_pending':
      return { toast: '支付确认中', icon: 'none', hint: '支付结果确认中，请稍后在订单列表查看', forgetOrder: false };
    case 'error': {
      const guidance = guidanceFor(result.code);
      return { toast: guidance.toast, icon: 'none', hint: `错误码 ${result.code}`, forgetOrder: guidance.action === 'new_order' };
    }
  }
}
