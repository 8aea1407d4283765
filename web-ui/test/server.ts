// A stand-in for Waymark's HTTP API in component tests: answers by method and path, records calls.
import { vi } from 'vitest';

export type Route = (url: URL, init: RequestInit) => { status?: number; body: unknown } | undefined;

export function stubApi(routes: Record<string, unknown | Route>) {
  const calls: { method: string; path: string; auth: string | null; body?: string }[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://waymark.test');
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method, path: url.pathname + url.search, auth: headers.Authorization ?? null, body: init.body as string | undefined });
    const route = routes[`${method} ${url.pathname}`];
    const answer = typeof route === 'function' ? (route as Route)(url, init) : route === undefined ? undefined : { body: route };
    if (answer === undefined) {
      return new Response(JSON.stringify({ error: 'not found' }), { status: 404 });
    }
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}
