import type { NextFunction, Request, Response } from 'express';
import { orderNotFound, rateLimited } from '../../../src/errors/app-error';
import { errorHandler } from '../../../src/http/error-handler';

function respond(err: unknown) {
  const logged: unknown[] = [];
  const sent: { status?: number; type?: string; body?: Record<string, unknown>; headers: Record<string, string> } = { headers: {} };
  const res = {
    set(headers: Record<string, string>) {
      Object.assign(sent.headers, headers);
      return res;
    },
    status(status: number) {
      sent.status = status;
      return res;
    },
    type(type: string) {
      sent.type = type;
      return res;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
      return res;
    },
  };
  const req = { id: 'req-12345678', log: { error: (...args: unknown[]) => logged.push(args) } };
  errorHandler(err, req as unknown as Request, res as unknown as Response, (() => {}) as NextFunction);
  return { ...sent, logged };
}

describe('errorHandler', () => {
  it('turns a domain error into problem+json with its code, status and the request id', () => {
    const sent = respond(orderNotFound());
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: '/docs/problems#ORDER_NOT_FOUND',
      title: 'Order not found',
      status: 404,
      detail: 'No such order.',
      code: 'ORDER_NOT_FOUND',
      request_id: 'req-12345678',
    });
  });

  it('keeps the Retry-After header of a 429', () => {
    expect(respond(rateLimited(3, 'slow down')).headers).toEqual({ 'Retry-After': '3' });
  });

  it('maps a validator error to 400 VALIDATION_FAILED with the failing paths', () => {
    const sent = respond({
      status: 400,
      message: 'request/body must have required property',
      errors: [{ path: '/body/order_id', message: 'required', errorCode: 'required.openapi.validation' }],
    });
    expect(sent.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, errors: [{ path: '/body/order_id', message: 'required' }] });
  });

  it('hides the details of an unexpected error behind 500 INTERNAL and logs it', () => {
    const sent = respond(new Error('connection string postgres://user:secret@db/payments refused'));
    expect(sent.status).toBe(500);
    expect(sent.body).toMatchObject({ code: 'INTERNAL', request_id: 'req-12345678' });
    expect(JSON.stringify(sent.body)).not.toContain('secret');
    expect(sent.logged).toHaveLength(1);
  });

  describe('given a body in a charset other than UTF-8 (body-parser: 415 charset.unsupported)', () => {
    it('answers 415 UNSUPPORTED_MEDIA_TYPE, the code the contract gives 415', () => {
      const sent = respond(Object.assign(new Error('unsupported charset "LATIN1"'), { status: 415, expose: true, type: 'charset.unsupported' }));
      expect(sent.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });
  });

  describe('given a body cut off or longer than its Content-Length (body-parser: 400)', () => {
    it('answers 400 BAD_REQUEST', () => {
      const sent = respond(Object.assign(new Error('request size did not match content length'), { status: 400, expose: true, type: 'request.size.invalid' }));
      expect(sent.body).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    });
  });
});
