export interface GroupCommitOptions<Item, Result> {
  /** Most items in one group. */
  maxSize: number;
  /** Most groups running at once; arrivals meanwhile wait and form the next group. */
  maxInFlight: number;
  /** All items in one transaction, all or nothing: a result per item, in order. */
  applyGroup: (items: Item[]) => Promise<Result[]>;
  /** One item in a transaction of its own: a lone arrival, and each member of a group that failed. */
  applyOne: (item: Item) => Promise<Result>;
  /** After each group of two or more: committed, or failed (then each member is applied alone). */
  onGroupDone?: (done: { size: number; error?: unknown }) => void;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items that arrive while earlier groups are being applied are applied together, in one
 * transaction (one BEGIN, one COMMIT, set-based statements). When a group fails, nothing of it was committed and
 * each member is applied again on its own, so one bad item fails only itself and delays the others by one
 * failed attempt. A lone item never waits for company.
 */
export class GroupCommitQueue<Item, Result> {
  private readonly waiting: Waiting<Item, Result>[] = [];
  private inFlight = 0;

  constructor(private readonly options: GroupCommitOptions<Item, Result>) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.maxSize);
      this.inFlight += 1;
      void this.apply(group).finally(() => {
        this.inFlight -= 1;
        this.startGroups();
      });
    }
  }

  private async apply(group: Waiting<Item, Result>[]): Promise<void> {
    if (group.length === 1) return this.applyAlone(group[0] as Waiting<Item, Result>);
    let results: Result[];
    try {
      results = await this.options.applyGroup(group.map((waiting) => waiting.item));
    } catch (error) {
      this.options.onGroupDone?.({ size: group.length, error });
      // Each member again, alone; the slot is free meanwhile (the group's transaction is over).
      for (const waiting of group) void this.applyAlone(waiting);
      return;
    }
    this.options.onGroupDone?.({ size: group.length });
    group.forEach((waiting, i) => waiting.resolve(results[i] as Result));
  }

  private applyAlone(waiting: Waiting<Item, Result>): Promise<void> {
    return this.options.applyOne(waiting.item).then(waiting.resolve, waiting.reject);
  }
}
