import { createPaymentClient, sandboxRequestPayment, wxStorage, type PaymentClient, type SandboxChoice } from 'wechat-payment-session-miniprogram';
import { API_CONFIG } from './api-config';

/** The sandbox cannot open WeChat's payment sheet: a modal plays the traveler's choice instead. */
function askLikeThePaymentSheet(): Promise<SandboxChoice> {
  return new Promise((resolve) => {
    wx.showModal({
      title: '沙箱支付',
      content: '模拟微信支付：确认支付，或取消（如同关闭支付弹窗）',
      confirmText: '支付',
      cancelText: '取消',
      success: (result) => resolve(result.confirm ? 'success' : 'cancel'),
      fail: () => resolve('cancel'),
    });
  });
}

let client: PaymentClient | undefined;

/** One client for the whole mini program; the token is kept in its own storage (wx.setStorageSync). */
export function paymentClient(): PaymentClient {
  if (client) return client;
  client = createPaymentClient({
    baseUrl: API_CONFIG.baseUrl,
    wx,
    storage: wxStorage(wx),
    requestPayment: API_CONFIG.sandboxUrl ? sandboxRequestPayment(wx, API_CONFIG.sandboxUrl, askLikeThePaymentSheet) : undefined,
  });
  return client;
}
