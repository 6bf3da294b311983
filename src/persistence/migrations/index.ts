import { Migration20261122000100CreateOrders } from './20261122000100-create-orders';
import { Migration20261122000200AddOrderPaymentFields } from './20261122000200-add-order-payment-fields';
import { Migration20261122000300CreateRateLimits } from './20261122000300-create-rate-limits';
import { Migration20261122000400CreatePaymentNotifications } from './20261122000400-create-payment-notifications';

/** Listed explicitly so the same migrations run from TypeScript, compiled JavaScript and tests. */
export const migrationsList = [
  { name: '20261122000100-create-orders', class: Migration20261122000100CreateOrders },
  { name: '20261122000200-add-order-payment-fields', class: Migration20261122000200AddOrderPaymentFields },
  { name: '20261122000300-create-rate-limits', class: Migration20261122000300CreateRateLimits },
  { name: '20261122000400-create-payment-notifications', class: Migration20261122000400CreatePaymentNotifications },
];
