import pg from 'pg';
import type { Logger } from '../observability/logger';

/** The channel the `notify_order_changed` trigger announces order ids on (see its migration). */
export const ORDER_CHANGED_CHANNEL = 'order_changed';

export interface OrderChangeHandlers {
  changed(orderId: string): void;
  /** LISTEN is in place: from now on every committed change is delivered. */
  listening(): void;
  /** The connection is gone: changes committed until `listening` is called again may never be delivered. */
  lost(): void;
}

export interface OrderChangeListener {
  stop(): Promise<void>;
}

const RETRY_MS = { first: 100, max: 5000 };

/**
 * One dedicated connection that LISTENs for order changes and reconnects, with backoff, when it is lost.
 * Not from the pool: a pooled connection is shared and a LISTEN on it would be lost at release.
 */
export function listenForOrderChanges(databaseUrl: string, handlers: OrderChangeHandlers, logger: Logger): OrderChangeListener {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = RETRY_MS.first;
  let timer: NodeJS.Timeout | undefined;

  const lose = (current: pg.Client, err?: Error) => {
    if (client !== current) return;
    client = undefined;
    handlers.lost();
    current.removeAllListeners('notification');
    void current.end().catch(() => undefined);
    if (stopped) return;
    logger.warn({ err, retryInMs: retryMs }, 'order change listener lost its connection: status cache off until it listens again');
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MS.max);
  };

  async function connect(): Promise<void> {
    const current = new pg.Client({ connectionString: databaseUrl, keepAlive: true });
    client = current;
    current.on('error', (err) => lose(current, err));
    current.on('end', () => lose(current));
    current.on('notification', (message) => {
      if (message.channel === ORDER_CHANGED_CHANNEL && message.payload) handlers.changed(message.payload);
    });
    try {
      await current.connect();
      await current.query(`listen ${ORDER_CHANGED_CHANNEL}`);
      if (client !== current || stopped) return;
      retryMs = RETRY_MS.first;
      handlers.listening();
    } catch (err) {
      lose(current, err as Error);
    }
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      handlers.lost();
      await current?.end().catch(() => undefined);
    },
  };
}
