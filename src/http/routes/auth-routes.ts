import { Router } from 'express';
import type { components } from '../../../generated/api';
import type { AuthService } from '../../auth/auth-service';
import { byClientIp, limitRequests } from '../limit-requests';
import type { RequestLimiter } from '../../rate-limits/request-limiter';

type LoginRequest = components['schemas']['LoginRequest'];

export function authRoutes(auth: AuthService, loginLimiter: RequestLimiter): Router {
  const router = Router();
  router.post('/auth/wechat/login', limitRequests(loginLimiter, byClientIp), async (req, res) => {
    res.json(await auth.login((req.body as LoginRequest).code));
  });
  return router;
}
