import http from 'node:http';
import https from 'node:https';

export type PostOutcome = { status: number } | { error: string };

/** One POST to a notify_url, on its own connection so nothing lingers after the sandbox closes. */
export function postNotification(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false, signal },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('end', () => settle({ status }));
        response.on('close', () => settle({ status }));
      },
    );
    // WeChat counts an answer slower than 5 s as a failure
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => settle({ error: error.message }));
    request.end(body);
  });
}
