import type { IncomingMessage } from 'node:http';
import type { AuthService } from '../auth/auth-service';
import type { Traveler } from '../auth/traveler-tokens';
import type { PaymentsService } from '../payments/payments-service';
import { bearerToken } from './authenticate';
import type { Answer, BeginExchange, EarlyExchange, EarlyRoute } from './early-route-answers';
import type { StatusPollContract } from './status-poll-contract';

export interface StatusPollRouteDeps {
  auth: AuthService;
  payments: PaymentsService;
  contract: StatusPollContract;
  begin: BeginExchange;
}

// A segment with `%` is percent-encoded: Express decodes it, and its validator answers for it.
const POLL_URL = /^\/payments\/([^/?#%]+)\/status$/;
/** Express's route path: one metrics label for the route, whichever of the two answered it. */
const ROUTE_LABEL = '/payments/:orderId/status';

function authenticated(auth: AuthService, authorization: string | undefined): Traveler | undefined {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  try {
    return auth.authenticate(token);
  } catch {
    return undefined;
  }
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

/**
 * `GET /payments/{orderId}/status`, answered ahead of Express: every paying traveler polls it every 3 s, and the
 * middleware chain cost more than the answer. It takes only a request it has fully checked against openapi.yaml
 * (the path parameter's schema, the bearer token, no query string, no body); anything else goes on to Express,
 * whose validator and error handler answer it as for every route. Same service call, problems, request id,
 * access line and metrics as the Express route.
 */
export function statusPollRoute(deps: StatusPollRouteDeps): EarlyRoute {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const orderId = POLL_URL.exec(req.url ?? '')?.[1];
    if (orderId === undefined || !deps.contract.isValidOrderId(orderId) || hasBody(req)) return false;
    const traveler = authenticated(deps.auth, req.headers.authorization);
    if (!traveler) return false;
    const exchange = deps.begin(req, res, ROUTE_LABEL);
    void pollAnswer(deps, exchange, traveler, orderId).then((answer) => exchange.send(answer));
    return true;
  };
}

async function pollAnswer(deps: StatusPollRouteDeps, exchange: EarlyExchange, traveler: Traveler, orderId: string): Promise<Answer> {
  let answer: Answer;
  try {
    answer = { status: 200, body: await deps.payments.getStatus(traveler, orderId) };
  } catch (err) {
    answer = exchange.problem(err);
  }
  const mismatch = deps.contract.responseProblem?.(answer.status, answer.body);
  return mismatch ? exchange.problem(new Error(`response does not match openapi.yaml: ${mismatch}`)) : answer;
}
