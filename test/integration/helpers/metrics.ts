import type { TestStack } from './test-stack';

/** A counter's value for these labels; an unknown metric name fails the test instead of reading 0. */
export async function metricValue(stack: TestStack, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = stack.api.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const matching = values.find((value) => Object.entries(labels).every(([label, expected]) => value.labels[label] === expected));
  return matching?.value ?? 0;
}

/** How much a counter grows while `action` runs. */
export async function metricIncrease(stack: TestStack, name: string, labels: Record<string, string>, action: () => Promise<unknown>): Promise<number> {
  const before = await metricValue(stack, name, labels);
  await action();
  return (await metricValue(stack, name, labels)) - before;
}
