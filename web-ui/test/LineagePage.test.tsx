import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphNode } from '../src/api';
import { LineagePage } from '../src/pages/lineage/LineagePage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

function node(id: string, inn: string[], out: string[], up: number, down: number, labels: GraphNode['classifications'] = []): GraphNode {
  const [type, ns, name] = id.split(':') as [string, string, string];
  return {
    id, type: type === 'job' ? 'JOB' : 'DATASET', data: { namespace: ns, name },
    inEdges: inn.map((o) => ({ origin: o, destination: id })), outEdges: out.map((d) => ({ origin: id, destination: d })),
    neighbours: { upstream: up, downstream: down }, classifications: labels,
  };
}

describe('the lineage explorer', () => {
  it('opens at depth 1, shows hidden neighbours as +N, expands them and badges classified data', async () => {
    const calls = stubApi({
      'GET /api/v1/namespaces': { namespaces: [{ name: 'ns' }] },
      'GET /api/v1/lineage': (url: URL) => {
        const id = url.searchParams.get('nodeId');
        if (id === 'dataset:ns:orders') {
          return { body: { truncated: false, graph: [
            node('dataset:ns:orders', [], ['job:ns:load'], 0, 1, [{ field: 'email', code: 'PII.contact.email', protection: 'CLEAR' }]),
            node('job:ns:load', ['dataset:ns:orders'], ['dataset:ns:mart'], 1, 1),
            node('dataset:ns:mart', ['job:ns:load'], [], 1, 2),
          ] } };
        }
        return { body: { truncated: false, graph: [
          node('dataset:ns:mart', [], ['job:ns:report', 'job:ns:export'], 1, 2),
          node('job:ns:report', ['dataset:ns:mart'], [], 1, 0),
          node('job:ns:export', ['dataset:ns:mart'], [], 1, 0),
        ] } };
      },
    });
    render(<SessionProvider initial={{ name: 'v', role: 'viewer', roles: ['viewer'] }}><LineagePage params={new URLSearchParams({ node: 'dataset:ns:orders' })} /></SessionProvider>);
    expect(await screen.findByRole('button', { name: 'dataset orders' })).toBeInTheDocument();
    expect(screen.getAllByTestId('lineage-node')).toHaveLength(3);
    const first = calls.find((c) => c.path.startsWith('/api/v1/lineage'));
    expect(new URLSearchParams(first?.path.split('?')[1]).get('depth')).toBe('1');
    expect(screen.getAllByTestId('classification-badge')[0]).toHaveTextContent('PII clear');

    await userEvent.click(screen.getByRole('button', { name: 'Expand downstream of mart (2 hidden)' }));
    await waitFor(() => expect(screen.getAllByTestId('lineage-node')).toHaveLength(5));
    const expand = calls.filter((c) => c.path.startsWith('/api/v1/lineage')).pop();
    const q = new URLSearchParams(expand?.path.split('?')[1]);
    expect([q.get('nodeId'), q.get('direction'), q.get('depth')]).toEqual(['dataset:ns:mart', 'downstream', '1']);
    expect(screen.queryByRole('button', { name: /Expand downstream of mart/ })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Collapse downstream of mart' }));
    await waitFor(() => expect(screen.getAllByTestId('lineage-node')).toHaveLength(3));

    // The view's settings are kept in the address, so a reload or a shared link shows the same view.
    await userEvent.selectOptions(screen.getByLabelText('Direction'), 'upstream');
    await userEvent.selectOptions(screen.getByLabelText('Depth'), '3');
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('depth')).toBe('3'));
    expect(new URLSearchParams(window.location.search).get('direction')).toBe('upstream');
    const last = new URLSearchParams(calls.filter((c) => c.path.startsWith('/api/v1/lineage')).pop()?.path.split('?')[1]);
    expect([last.get('direction'), last.get('depth')]).toEqual(['upstream', '3']);
  });
});
