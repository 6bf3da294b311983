import type { components } from './generated/api';

/** Shapes of the API, generated from openapi.yaml into ./generated (never redeclared here). */
export type Order = components['schemas']['Order'];
export type CreateOrderRequest = components['schemas']['CreateOrderRequest'];
export type PaymentSession = components['schemas']['PaymentSession'];
export type PaymentStatus = components['schemas']['PaymentStatus'];
export type LoginResponse = components['schemas']['LoginResponse'];
export type Problem = components['schemas']['Problem'];
/** Every code a problem can carry: a union generated from the contract's ProblemCode enum. */
export type ProblemCode = components['schemas']['ProblemCode'];
