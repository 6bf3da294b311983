/** The part of autocannon's API the benchmark uses (autocannon ships no types). */
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown> | undefined;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: AutocannonRequest[];
  }

  interface AutocannonLatency {
    p50: number;
    p90: number;
    p99: number;
    max: number;
    average: number;
  }

  interface AutocannonResult {
    duration: number;
    latency: AutocannonLatency;
    statusCodeStats?: Record<string, { count: number }>;
    errors: number;
    timeouts: number;
  }

  interface AutocannonInstance extends PromiseLike<AutocannonResult> {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export default autocannon;
}
