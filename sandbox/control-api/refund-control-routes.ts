import express, { type Response, type Router } from 'express';
import { describeRefund } from '../refund-api/describe-refund';
import type { SandboxRefund, SandboxRefundStatus } from '../refund-api/refunds-store';
import { settleRefund } from '../refund-api/settle-refund';
import type { SandboxContext } from '../sandbox-context';

type FinalStatus = Exclude<SandboxRefundStatus, 'PROCESSING'>;
const OUTCOMES: readonly FinalStatus[] = ['SUCCESS', 'CLOSED', 'ABNORMAL'];

function sendControlError(res: Response, status: number, message: string): void {
  res.status(status).json({ code: status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : 'INVALID_REQUEST', message });
}

function describeForControl(refund: SandboxRefund) {
  return { refund: describeRefund(refund), notifyUrl: refund.application.notify_url ?? null, outcome: refund.outcome, bodies: refund.bodies };
}

/** Only PROCESSING moves by itself; ABNORMAL waits for the merchant, who may still get it to SUCCESS or CLOSED. */
function canForce(refund: SandboxRefund, status: FinalStatus): boolean {
  return refund.status === 'PROCESSING' || (refund.status === 'ABNORMAL' && status !== 'ABNORMAL');
}

/** `/sandbox/refunds…`: see and steer refunds (force an outcome now, arm the outcome of the next ones). */
export function createRefundControlRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/refunds/:outRefundNo', (req, res) => {
    const refund = ctx.refunds.find(req.params.outRefundNo);
    if (refund) res.json(describeForControl(refund));
    else sendControlError(res, 404, `no refund with out_refund_no ${req.params.outRefundNo}`);
  });

  router.post('/refunds/:outRefundNo/result', (req, res) => {
    const refund = ctx.refunds.find(req.params.outRefundNo);
    if (!refund) return sendControlError(res, 404, `no refund with out_refund_no ${req.params.outRefundNo}`);
    const status = req.body?.status as FinalStatus;
    if (!OUTCOMES.includes(status)) return sendControlError(res, 400, `status must be one of ${OUTCOMES.join(', ')}`);
    if (!canForce(refund, status)) return sendControlError(res, 409, `the refund is ${refund.status} already`);
    settleRefund(ctx, refund, status);
    res.json(describeForControl(refund));
  });

  router.get('/refund-outcomes', (_req, res) => {
    res.json({ armed: ctx.refunds.armed() });
  });
  router.post('/refund-outcomes', (req, res) => {
    const status = req.body?.status as FinalStatus;
    const count = req.body?.count ?? 1;
    if (!OUTCOMES.includes(status)) return sendControlError(res, 400, `status must be one of ${OUTCOMES.join(', ')}`);
    if (!Number.isInteger(count) || count < 1 || count > 1000) return sendControlError(res, 400, 'count must be an integer from 1 to 1000');
    ctx.refunds.armOutcome(status, count);
    res.status(201).json({ armed: ctx.refunds.armed() });
  });
  router.delete('/refund-outcomes', (_req, res) => {
    ctx.refunds.clearArmed();
    res.status(204).end();
  });

  router.post('/refunds/:outRefundNo/probe-notification', async (req, res) => {
    const refund = ctx.refunds.find(req.params.outRefundNo);
    if (!refund?.application.notify_url) return sendControlError(res, 404, `no refund with a notify_url and out_refund_no ${req.params.outRefundNo}`);
    const notification = await ctx.notifications.probeRefund(refund, refund.application.notify_url);
    const status = notification.attempts[0]?.status ?? null;
    res.json({ notification, refused: status !== null && status >= 400 });
  });
  return router;
}
