import { formatFen, guidanceFor, isPaymentApiError, type PayResult } from 'wechat-payment-session-miniprogram';
import { paymentClient } from '../../services/payment-client';
import { feedbackFor } from './outcome-feedback';

/** The toast stays this long before the page goes back after a payment. */
const BACK_AFTER_MS = 1500;

Page({
  data: { amount: 0, amountText: '', description: '', orderId: '', loading: false, payable: false, hint: '' },

  onLoad(query: Record<string, string | undefined>) {
    const amount = Number(query.amount);
    const payable = Number.isInteger(amount) && amount > 0;
    this.setData({ amount, payable, amountText: payable ? formatFen(amount) : '—', description: decodeURIComponent(query.description ?? '') });
  },

  async onPay() {
    if (this.data.loading) return;
    this.setData({ loading: true, hint: '' });
    wx.showLoading({ title: '支付中', mask: true });
    try {
      const result = await this.payTheOrder();
      wx.hideLoading();
      this.show(result);
    } catch (err) {
      wx.hideLoading();
      const code = isPaymentApiError(err) ? err.code : 'UNEXPECTED_RESPONSE';
      wx.showToast({ title: guidanceFor(code).toast, icon: 'none', duration: 2000 });
    } finally {
      this.setData({ loading: false });
    }
  },

  /** One order per page visit: a retry after a cancel pays the same order (and the same WeChat transaction). */
  async payTheOrder(): Promise<PayResult> {
    const client = paymentClient();
    if (!this.data.orderId) {
      const order = await client.createOrder({ amount: this.data.amount, description: this.data.description });
      this.setData({ orderId: order.order_id });
    }
    return client.payOrder(this.data.orderId);
  },

  show(result: PayResult) {
    const feedback = feedbackFor(result);
    wx.showToast({ title: feedback.toast, icon: feedback.icon, duration: 2000 });
    this.setData({ hint: feedback.hint ?? '', orderId: feedback.forgetOrder ? '' : this.data.orderId });
    if (result.outcome === 'paid') setTimeout(() => wx.navigateBack(), BACK_AFTER_MS);
  },
});
