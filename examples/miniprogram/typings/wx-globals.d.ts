/**
 * The few mini program globals this sample uses, so `tsc -p examples/miniprogram` checks it against the SDK.
 * A real project would use the `miniprogram-api-typings` package instead.
 */
type SdkWx = import('wechat-payment-session-miniprogram').WxLike;

interface SampleWx extends SdkWx {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  removeStorageSync(key: string): void;
  showToast(options: { title: string; icon?: 'success' | 'error' | 'loading' | 'none'; duration?: number; mask?: boolean }): void;
  showLoading(options: { title: string; mask?: boolean }): void;
  hideLoading(): void;
  showModal(options: {
    title: string;
    content: string;
    confirmText?: string;
    cancelText?: string;
    showCancel?: boolean;
    success?(result: { confirm: boolean; cancel: boolean }): void;
    fail?(): void;
  }): void;
  navigateBack(options?: { delta?: number }): void;
  navigateTo(options: { url: string }): void;
}

declare const wx: SampleWx;

declare function App(options: Record<string, unknown>): void;
declare function setTimeout(callback: () => void, ms?: number): number;

interface PageInstance<D> {
  data: D;
  setData(patch: Partial<D>): void;
}

declare function Page<D, M extends Record<string, unknown>>(options: { data: D } & M & ThisType<PageInstance<D> & M>): void;
