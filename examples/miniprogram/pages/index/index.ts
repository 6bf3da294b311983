import { formatFen } from 'wechat-payment-session-miniprogram';

/** Amounts are integer fen everywhere; formatFen only makes the label. */
const TICKET = { amount: 8800, description: 'Shanghai – Hangzhou G7311, seat 05A' };

Page({
  data: { description: TICKET.description, amountText: formatFen(TICKET.amount) },

  goToPay() {
    wx.navigateTo({ url: `/pages/pay/pay?amount=${TICKET.amount}&description=${encodeURIComponent(TICKET.description)}` });
  },
});
