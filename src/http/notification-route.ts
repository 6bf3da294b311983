import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentsService } from '../payments/payments-service';
import type { RefundsService } from '../refunds/refunds-service';
import { checkedStatus, type StatusCheck } from './documented-statuses';
import type { Answer, BeginExchange, EarlyExchange, EarlyRoute } from './early-route-answers';
import { readNotificationBody, UNREADABLE_BODY } from './read-notification-body';

export interface NotificationRouteDeps {
  payments: Pick<PaymentsService, 'handleNotification'>;
  refunds: Pick<RefundsService, 'handleNotification'>;
  begin: BeginExchange;
  /** Development and test (VALIDATE_RESPONSES): Express's check that every status is one openapi.yaml documents. */
  statusCheck?: StatusCheck;
}

type HandleNotification = PaymentsService['handleNotification'];

/**
 * `POST /payments/wechat/notify` and `POST /refunds/wechat/notify`, answered ahead of Express: under load every
 * notification walked the whole middleware chain before its handler. Only the exact path is taken, with an
 * identity body; a query string, a trailing slash, another case or a compressed body goes on to Express, whose
 * routes stay and answer it as before. Same body limit, answers, request id, access line, service logger and
 * metrics label as the Express routes (src/http/routes/webhooks-routes.ts).
 */
export function notificationRoute(deps: NotificationRouteDeps): EarlyRoute {
  // The paths are Express's route paths, so each is its own metrics label.
  const handlers = new Map<string | undefined, HandleNotification>([
    ['/payments/wechat/notify', (headers, rawBody, logger) => deps.payments.handleNotification(headers, rawBody, logger)],
    ['/refunds/wechat/notify', (headers, rawBody, logger) => deps.refunds.handleNotification(headers, rawBody, logger)],
  ]);
  return (req, res) => {
    const handle = req.method === 'POST' ? handlers.get(req.url) : undefined;
    // body-parser inflates gzip, deflate and br: left to it.
    if (!handle || (req.headers['content-encoding'] ?? 'identity').toLowerCase() !== 'identity') return false;
    const exchange = deps.begin(req, res, req.url as string);
    void notificationAnswer(exchange, handle, req).then((answer) => exchange.send(documented(deps, req, res, exchange, answer)));
    return true;
  };
}

async function notificationAnswer(exchange: EarlyExchange, handle: HandleNotification, req: IncomingMessage): Promise<Answer> {
  const read = await readNotificationBody(req);
  if (!read.ok) {
    exchange.log.warn({ err: read.err }, 'WeChat Pay notification body unreadable');
    return { status: read.err.status, body: UNREADABLE_BODY };
  }
  try {
    const answer = await handle(req.headers, read.body, exchange.log);
    return answer.status === 204 ? { status: 204 } : { status: answer.status, body: answer.body };
  } catch (err) {
    return exchange.problem(err);
  }
}

function documented(deps: NotificationRouteDeps, req: IncomingMessage, res: ServerResponse, exchange: EarlyExchange, answer: Answer): Answer {
  if (!deps.statusCheck) return answer;
  return { ...answer, status: checkedStatus(deps.statusCheck, req.method as string, req.url as string, answer.status, res, exchange.log) };
}
