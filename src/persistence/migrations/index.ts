import { Migration20261122000100CreateOrders } from './20261122000100-create-orders';
import { Migration20261122000200AddOrderPaymentFields } from './20261122000200-add-order-payment-fields';
import { Migration20261122000300CreateRateLimits } from './20261122000300-create-rate-limits';
import { Migration20261122000400CreatePaymentNotifications } from './20261122000400-create-payment-notifications';
import { Migration20261201000100NameOrderColumnsAfterWechat } from './20261201000100-name-order-columns-after-wechat';
import { Migration20261201100000CreateJobQueue } from './20261201100000-create-job-queue';
import { Migration20261201100100IndexLapsedOrdersAndRetainedRows } from './20261201100100-index-lapsed-orders-and-retained-rows';
import { Migration20261201200000CreateRefunds } from './20261201200000-create-refunds';
import { Migration20261201300100NotifyOrderChanges } from './20261201300100-notify-order-changes';
import { Migration20261201500000UnloggedRateLimits } from './20261201500000-unlogged-rate-limits';

/** Listed explicitly so the same migrations run from TypeScript, compiled JavaScript and tests. */
export const migrationsList = [
  { name: '20261122000100-create-orders', class: Migration20261122000100CreateOrders },
  { name: '20261122000200-add-order-payment-fields', class: Migration20261122000200AddOrderPaymentFields },
  { name: '20261122000300-create-rate-limits', class: Migration20261122000300CreateRateLimits },
  { name: '20261122000400-create-payment-notifications', class: Migration20261122000400CreatePaymentNotifications },
  { name: '20261201000100-name-order-columns-after-wechat', class: Migration20261201000100NameOrderColumnsAfterWechat },
  { name: '20261201100000-create-job-queue', class: Migration20261201100000CreateJobQueue },
  { name: '20261201100100-index-lapsed-orders-and-retained-rows', class: Migration20261201100100IndexLapsedOrdersAndRetainedRows },
  { name: '20261201200000-create-refunds', class: Migration20261201200000CreateRefunds },
  { name: '20261201300100-notify-order-changes', class: Migration20261201300100NotifyOrderChanges },
  { name: '20261201500000-unlogged-rate-limits', class: Migration20261201500000UnloggedRateLimits },
];
