import { Router } from 'express';
import type { components } from '../../../generated/api';
import type { AuthService } from '../../auth/auth-service';

type LoginRequest = components['schemas']['LoginRequest'];

export function authRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/auth/wechat/login', async (req, res) => {
    res.json(await auth.login((req.body as LoginRequest).code));
  });
  return router;
}
