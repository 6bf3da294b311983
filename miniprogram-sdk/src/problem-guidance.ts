import type { ClientErrorCode } from './payment-api-error';

/** What the mini program should do about an error code; the README's table says the same in words. */
export type ProblemAction = 'retry' | 'login_again' | 'new_order' | 'treat_as_paid' | 'fix_request' | 'wait_and_retry' | 'go_back';

export interface ProblemGuidance {
  action: ProblemAction;
  /** A short toast for the traveler (zh-CN), at most 7 characters for `wx.showToast`'s icon mode. */
  toast: string;
}

/**
 * Typed as a Record over every code of the contract: a code added to openapi.yaml and regenerated fails the
 * SDK's typecheck until it is given guidance here.
 */
export const PROBLEM_GUIDANCE: Record<ClientErrorCode, ProblemGuidance> = {
  VALIDATION_FAILED: { action: 'fix_request', toast: '请求有误' },
  BAD_REQUEST: { action: 'retry', toast: '请求有误' },
  UNAUTHORIZED: { action: 'login_again', toast: '请重新登录' },
  WECHAT_LOGIN_FAILED: { action: 'login_again', toast: '登录失败' },
  FORBIDDEN: { action: 'login_again', toast: '无权操作' },
  OPENID_MISMATCH: { action: 'login_again', toast: '账号不一致' },
  NOT_FOUND: { action: 'fix_request', toast: '接口不存在' },
  ORDER_NOT_FOUND: { action: 'go_back', toast: '订单不存在' },
  METHOD_NOT_ALLOWED: { action: 'fix_request', toast: '请求有误' },
  NOT_ACCEPTABLE: { action: 'fix_request', toast: '请求有误' },
  ORDER_ALREADY_PAID: { action: 'treat_as_paid', toast: '订单已支付' },
  ORDER_EXPIRED: { action: 'new_order', toast: '订单已过期' },
  ORDER_CANCELLED: { action: 'new_order', toast: '订单已取消' },
  ORDER_FAILED: { action: 'new_order', toast: '支付失败' },
  PAYMENT_IN_PROGRESS: { action: 'wait_and_retry', toast: '正在处理' },
  PAYLOAD_TOO_LARGE: { action: 'fix_request', toast: '请求有误' },
  UNSUPPORTED_MEDIA_TYPE: { action: 'fix_request', toast: '请求有误' },
  IDEMPOTENCY_KEY_REUSED: { action: 'new_order', toast: '请重新下单' },
  RATE_LIMITED: { action: 'wait_and_retry', toast: '操作太频繁' },
  INTERNAL: { action: 'retry', toast: '服务繁忙' },
  WECHAT_UNAVAILABLE: { action: 'retry', toast: '微信支付繁忙' },
  DATABASE_UNAVAILABLE: { action: 'wait_and_retry', toast: '服务繁忙' },
  WECHAT_TIMEOUT: { action: 'retry', toast: '微信支付超时' },
  NETWORK_ERROR: { action: 'retry', toast: '网络不可用' },
  UNEXPECTED_RESPONSE: { action: 'retry', toast: '服务异常' },
};

export function guidanceFor(code: ClientErrorCode): ProblemGuidance {
  return PROBLEM_GUIDANCE[code] ?? PROBLEM_GUIDANCE.UNEXPECTED_RESPONSE;
}
