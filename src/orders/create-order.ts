import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { idempotencyKeyReused, invalidDescription } from '../errors/app-error';
import { IdempotencyRecord } from '../persistence/entities/idempotency-record';
import { Order } from '../persistence/entities/order';
import { appendHistory } from '../payments/transition-order-status';
import { toOrderDto, type OrderDto } from './order-dto';

export type CreateOrderRequest = components['schemas']['CreateOrderRequest'];

export interface CreateOrderResult {
  order: OrderDto;
  replayed: boolean;
}

export interface CreateOrderDeps {
  em: EntityManager;
  now: Date;
  seatLockMinutes: number;
}

/** WeChat Pay refuses 4-byte UTF-8 characters (emoji and rare CJK) in `description`. */
function assertDescriptionIsAcceptedByWechatPay(description: string): void {
  for (const char of description) {
    if (char.codePointAt(0)! > 0xffff) throw invalidDescription();
  }
}

function hashRequest(request: CreateOrderRequest): string {
  return createHash('sha256').update(JSON.stringify({ amount: request.amount, description: request.description })).digest('hex');
}

async function findPreviousAnswer(em: EntityManager, traveler: Traveler, key: string, requestHash: string): Promise<CreateOrderResult | undefined> {
  const record = await em.fork().findOne(IdempotencyRecord, { userId: traveler.userId, key });
  if (!record) return undefined;
  if (record.requestHash !== requestHash) throw idempotencyKeyReused();
  return { order: JSON.parse(record.responseBody) as OrderDto, replayed: true };
}

async function insertOrderUnderKey(deps: CreateOrderDeps, traveler: Traveler, key: string, requestHash: string, request: CreateOrderRequest): Promise<OrderDto> {
  return deps.em.fork().transactional(async (em) => {
    const order = Object.assign(new Order(), {
      userId: traveler.userId,
      amount: request.amount,
      description: request.description,
      lockExpireAt: new Date(deps.now.getTime() + deps.seatLockMinutes * 60_000),
      createdAt: deps.now,
      updatedAt: deps.now,
    });
    const dto = toOrderDto(order);
    em.persist(order);
    appendHistory(em, order.id, undefined, 'pending', { event: 'order_created', source: 'api', now: deps.now });
    // The key row is inserted in the same transaction: a concurrent twin waits on it, then finds it.
    em.persist(Object.assign(new IdempotencyRecord(), { userId: traveler.userId, key, requestHash, responseStatus: 201, responseBody: JSON.stringify(dto), createdAt: deps.now }));
    return dto;
  });
}

/** Creates a pending order with a seat lock, exactly once per Idempotency-Key. */
export async function createOrder(deps: CreateOrderDeps, traveler: Traveler, key: string, request: CreateOrderRequest): Promise<CreateOrderResult> {
  assertDescriptionIsAcceptedByWechatPay(request.description);
  const requestHash = hashRequest(request);
  const previous = await findPreviousAnswer(deps.em, traveler, key, requestHash);
  if (previous) return previous;
  try {
    return { order: await insertOrderUnderKey(deps, traveler, key, requestHash, request), replayed: false };
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const winner = await findPreviousAnswer(deps.em, traveler, key, requestHash);
    if (!winner) throw err;
    return winner;
  }
}
