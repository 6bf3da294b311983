import type { Request, RequestHandler } from 'express';
import type { AdminService, OperatorContext } from '../admin/admin-service';
import type { Operator } from '../admin/operator-keys';
import { operatorUnauthorized } from '../errors/operator-errors';

declare module 'express-serve-static-core' {
  interface Request {
    operator?: Operator;
  }
}

/**
 * Every `/admin` request is authenticated here, before the body is read or the contract checked: an unknown caller
 * learns nothing about the routes. Traveler tokens are not operator keys and are refused like any other string.
 */
export function authenticateOperator(admin: AdminService): RequestHandler {
  return (req, _res, next) => {
    req.operator = admin.authenticate(req.headers.authorization);
    next();
  };
}

/** The `operatorKey` security handler: the middleware above already decided. */
export const operatorKeyHandler = (req: Request): boolean => req.operator !== undefined;

export function operatorContext(req: Request): OperatorContext {
  if (!req.operator) throw operatorUnauthorized();
  return { operator: req.operator, requestId: String(req.id) };
}
