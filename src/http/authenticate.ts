import type { Request } from 'express';
import type { AuthService } from '../auth/auth-service';
import type { Traveler } from '../auth/traveler-tokens';
import { unauthorized } from '../errors/app-error';

declare module 'express-serve-static-core' {
  interface Request {
    traveler?: Traveler;
  }
}

/** The token of an `Authorization: Bearer …` header, or undefined when the header is anything else. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
}

/** The `bearerAuth` security handler: every traveler route passes through it before its handler. */
export function bearerAuthHandler(auth: AuthService) {
  return (req: Request): true => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized();
    req.traveler = auth.authenticate(token);
    return true;
  };
}

export function currentTraveler(req: Request): Traveler {
  if (!req.traveler) throw unauthorized();
  return req.traveler;
}
