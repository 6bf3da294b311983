import type { Request } from 'express';
import type { AuthService } from '../auth/auth-service';
import type { Traveler } from '../auth/traveler-tokens';
import { unauthorized } from '../errors/app-error';

declare module 'express-serve-static-core' {
  interface Request {
    traveler?: Traveler;
  }
}

/** The `bearerAuth` security handler: every traveler route passes through it before its handler. */
export function bearerAuthHandler(auth: AuthService) {
  return (req: Request): true => {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw unauthorized();
    req.traveler = auth.authenticate(match[1]);
    return true;
  };
}

export function currentTraveler(req: Request): Traveler {
  if (!req.traveler) throw unauthorized();
  return req.traveler;
}
