export interface RecordedCall {
  method: string;
  /** Path without the query string: jscode2session carries the app secret there. */
  path: string;
  /** Null until answered, and for ever when a `drop` fault destroyed the connection. */
  status: number | null;
  at: string;
  requestId?: string;
  fault?: string;
}

/** Every WeChat API call the sandbox received (`/v3`, `/sns`), in order of arrival. */
export class CallLog {
  private calls: RecordedCall[] = [];

  record(method: string, path: string, at: Date): RecordedCall {
    const call: RecordedCall = { method, path, status: null, at: at.toISOString() };
    this.calls.push(call);
    return call;
  }

  list(): readonly RecordedCall[] {
    return this.calls;
  }

  clear(): void {
    this.calls = [];
  }
}
