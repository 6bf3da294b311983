import { Router } from 'express';
import type { components } from '../../../generated/api';
import { loginWithWechat } from '../../auth/login-with-wechat';
import type { AppDeps } from '../app-deps';

type LoginRequest = components['schemas']['LoginRequest'];

export function authRouter(deps: AppDeps): Router {
  const router = Router();
  router.post('/auth/wechat/login', async (req, res) => {
    const { code } = req.body as LoginRequest;
    const answer = await loginWithWechat({ em: deps.orm.em, wechatLogin: deps.wechatLogin, tokens: deps.tokens, now: deps.clock() }, code);
    res.json(answer);
  });
  return router;
}
