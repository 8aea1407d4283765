import { afterEach, expect, it, vi } from 'vitest';
import { api } from '../src/api';

afterEach(() => vi.unstubAllGlobals());

// After its own write the UI asks the server to answer reads once projection has passed that write.
it('reads after a write wait for its journal position', async () => {
  const sent: { method: string; waitFor: string | undefined }[] = [];
  vi.stubGlobal('fetch', async (_input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    sent.push({ method, waitFor: (init.headers as Record<string, string>)['Waymark-Wait-For'] });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (method !== 'GET') {
      headers['Waymark-Position'] = '42';
    }
    return new Response(JSON.stringify({ namespaces: [] }), { status: 200, headers });
  });
  await api.namespaces();
  await api.classify('ns', 'table', 'email', 'PII.contact.email', 'steward review');
  await api.namespaces();
  expect(sent.map((s) => [s.method, s.waitFor])).toEqual([
    ['GET', undefined],
    ['PUT', undefined],
    ['GET', '42'],
  ]);
});
