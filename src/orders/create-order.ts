import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { components } from '../../generated/api';
import type { Traveler } from '../auth/traveler-tokens';
import { idempotencyKeyReused, invalidDescription } from '../errors/app-error';
import type { DatabaseTransactions } from '../persistence/database-transactions';
import { Order } from '../persistence/entities/order';
import { toOrderDto, type OrderDto } from './order-dto';
import type { OrdersRepository } from './orders-repository';

export type CreateOrderRequest = components['schemas']['CreateOrderRequest'];

export interface CreateOrderResult {
  order: OrderDto;
  replayed: boolean;
}

export interface CreateOrderDeps {
  orders: OrdersRepository;
  transactions: DatabaseTransactions;
  clock: () => Date;
  seatLockMinutes: number;
}

/** WeChat Pay refuses 4-byte UTF-8 characters (emoji and rare CJK) in `description`. */
function assertDescriptionIsAcceptedByWechatPay(description: string): void {
  for (const char of description) {
    if (char.codePointAt(0)! > 0xffff) throw invalidDescription();
  }
}

function hashRequest(request: CreateOrderRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ amount: request.amount, description: request.description }))
    .digest('hex');
}

async function findPreviousAnswer(deps: CreateOrderDeps, traveler: Traveler, key: string, requestHash: string): Promise<CreateOrderResult | undefined> {
  const record = await deps.orders.findIdempotencyRecord(traveler.userId, key);
  if (!record) return undefined;
  if (record.requestHash !== requestHash) throw idempotencyKeyReused();
  return { order: JSON.parse(record.responseBody) as OrderDto, replayed: true };
}

async function insertOrderUnderKey(
  deps: CreateOrderDeps,
  traveler: Traveler,
  key: string,
  requestHash: string,
  request: CreateOrderRequest,
): Promise<OrderDto> {
  const now = deps.clock();
  const order = Object.assign(new Order(), {
    userId: traveler.userId,
    amount: request.amount,
    description: request.description,
    lockExpireAt: new Date(now.getTime() + deps.seatLockMinutes * 60_000),
    createdAt: now,
    updatedAt: now,
  });
  const dto = toOrderDto(order);
  await deps.transactions.run(async (tx) => {
    const idempotency = { userId: traveler.userId, key, requestHash, responseStatus: 201, responseBody: JSON.stringify(dto) };
    deps.orders.insert(tx, order, idempotency, { event: 'order_created', source: 'api', now });
  });
  return dto;
}

/** Creates a pending order with a seat lock, exactly once per Idempotency-Key. */
export async function createOrder(deps: CreateOrderDeps, traveler: Traveler, key: string, request: CreateOrderRequest): Promise<CreateOrderResult> {
  assertDescriptionIsAcceptedByWechatPay(request.description);
  const requestHash = hashRequest(request);
  const previous = await findPreviousAnswer(deps, traveler, key, requestHash);
  if (previous) return previous;
  try {
    return { order: await insertOrderUnderKey(deps, traveler, key, requestHash, request), replayed: false };
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const winner = await findPreviousAnswer(deps, traveler, key, requestHash);
    if (!winner) throw err;
    return winner;
  }
}
