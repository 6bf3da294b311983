import { startTestStack } from './helpers/test-stack';
import { loginAs, createPendingOrder, requestSession } from './helpers/travelers';
it('platform cert mode', async () => {
  const stack = await startTestStack({ keyMode: 'platform-certificate' });
  try {
    const t = await loginAs(stack);
    const o = await createPendingOrder(stack, t);
    const s = await requestSession(stack, t, o.order_id);
    console.log(stack.sandbox.signingMode, s.status, s.text);
  } finally { await stack.stop(); }
});
