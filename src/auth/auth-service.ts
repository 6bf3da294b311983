import { loginWithWechat, type LoginDeps, type LoginResponse } from './login-with-wechat';
import type { Traveler } from './traveler-tokens';

export interface AuthService {
  login(code: string): Promise<LoginResponse>;
  /** The traveler a bearer token names; throws 401 `UNAUTHORIZED` for anything else. */
  authenticate(token: string): Traveler;
}

export function createAuthService(deps: LoginDeps): AuthService {
  return {
    login: (code) => loginWithWechat(deps, code),
    authenticate: (token) => deps.tokens.verify(token, deps.clock()),
  };
}
