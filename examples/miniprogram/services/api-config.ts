/**
 * Where the API is. Sandbox: `npm start` on this computer (DevTools only: real phones cannot reach 127.0.0.1,
 * and "Does not verify request domains" must stay ticked). Live: your HTTPS domain, listed under
 * 开发管理 → 开发设置 → 服务器域名 → request合法域名 in the mini program's admin console.
 */
export const API_CONFIG = {
  baseUrl: 'http://127.0.0.1:3000',
  /** The sandbox WeChat Pay of `npm start`; set to '' for live mode (real wx.requestPayment). */
  sandboxUrl: 'http://127.0.0.1:3100',
};
