import { loadConfig } from '../../../src/config/env';
import { problemsOf } from './config-problems';

describe('HTTP edge settings', () => {
  describe('given nothing', () => {
    it('serves metrics on 127.0.0.1:9464 without a token, trusts no proxy, and outlives a 60 s proxy idle timeout', () => {
      const config = loadConfig({});
      expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464, token: undefined });
      expect(config.trustProxy).toBe(false);
      expect(config.httpTimeouts).toEqual({ keepAliveMs: 65_000, headersMs: 66_000, requestMs: 120_000 });
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      ['false', false],
      ['1', 1],
      ['loopback', ['loopback']],
      ['loopback, 10.0.0.0/8, 172.16.0.1, fd00::/8', ['loopback', '10.0.0.0/8', '172.16.0.1', 'fd00::/8']],
    ] as const)('reads %s', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it.each(['true', '10.0.0.0/33', 'nginx', '11'])('refuses %s', (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY must be/)]);
    });
  });

  describe('the metrics listener', () => {
    it('refuses a short METRICS_TOKEN', () => {
      expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN must be at least 32 characters']);
    });

    describe('given production and METRICS_HOST beyond loopback', () => {
      const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), METRICS_HOST: '0.0.0.0' };

      it('requires METRICS_TOKEN', () => {
        expect(problemsOf(production)).toContain('METRICS_HOST=0.0.0.0 serves /metrics beyond this machine: set METRICS_TOKEN as well');
      });

      it('accepts it with METRICS_TOKEN', () => {
        expect(problemsOf({ ...production, METRICS_TOKEN: 'y'.repeat(32) }).filter((p) => p.startsWith('METRICS'))).toEqual([]);
      });
    });
  });

  describe('server timeouts', () => {
    it('refuses a headers timeout that does not exceed keep-alive', () => {
      expect(problemsOf({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000' })).toEqual(['HTTP_HEADERS_TIMEOUT_MS must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS']);
    });

    it('refuses a request timeout shorter than the headers timeout', () => {
      expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '60000' })).toEqual(['HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS']);
    });
  });
});

describe('abuse limits', () => {
  it('defaults to 10 orders per 10 minutes, 20 sessions a minute per traveler, 30 logins a minute per address', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      orderCreation: { points: 10, durationSeconds: 600 },
      sessionRequests: { points: 20, durationSeconds: 60 },
      logins: { points: 30, durationSeconds: 60 },
    });
  });

  it('reads <requests>/<seconds>', () => {
    expect(loadConfig({ RATE_LIMIT_ORDERS: '3/900' }).rateLimits.orderCreation).toEqual({ points: 3, durationSeconds: 900 });
  });

  it.each(['10', '0/60', '10/0', '10/7200', 'ten/60'])('refuses %s', (value) => {
    expect(problemsOf({ RATE_LIMIT_SESSIONS: value })).toEqual([expect.stringMatching(/^RATE_LIMIT_SESSIONS must be <requests>\/<seconds>/)]);
  });
});
