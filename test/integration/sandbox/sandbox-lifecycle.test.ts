import { request } from 'node:http';
import { startNotificationReceiver } from './helpers/notification-receiver';
import { startTestSandbox } from './helpers/test-sandbox';

const countTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('sandbox lifecycle', () => {
  describe('given a pending notification retry and a delayed answer', () => {
    describe('when closed', () => {
      it('leaves no timer or socket behind', async () => {
        const timersBefore = countTimers();
        const receiver = await startNotificationReceiver([500]);
        const wechat = await startTestSandbox({ timeScale: 1, notificationSchedule: [60_000] });
        const prepayId = (await wechat.prepay({ notify_url: receiver.url })).json().prepay_id as string;
        await wechat.requestPayment(prepayId);
        await receiver.waitFor(1);
        await wechat.control('POST', '/sandbox/faults', { path: '/sns/jscode2session', delayMs: 60_000 });
        // a login call whose answer is held for a minute, over a plain node:http socket
        const held = new Promise<string>((resolve) => {
          request(`${wechat.sandbox.url}/sns/jscode2session?appid=${wechat.credentials.appId}`, (res) => resolve(`answered ${res.statusCode}`))
            .on('error', (error) => resolve(`error ${error.message}`))
            .end();
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(countTimers()).toBeGreaterThan(timersBefore);

        await wechat.sandbox.close();
        await receiver.close();
        expect(await held).toMatch(/^error /);
        await new Promise((resolve) => setImmediate(resolve));
        expect(countTimers()).toBeLessThanOrEqual(timersBefore);
        await expect(fetch(`${wechat.sandbox.url}/sandbox/info`)).rejects.toThrow('fetch failed');
      });
    });
  });

  describe('given close() called twice', () => {
    it('resolves both', async () => {
      const wechat = await startTestSandbox();
      await Promise.all([wechat.sandbox.close(), wechat.sandbox.close()]);
    });
  });
});
