import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchPage } from '../src/pages/search/SearchPage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

describe('search', () => {
  it('lists matching namespaces, datasets, jobs and fields with links to their pages', async () => {
    const calls = stubApi({
      'GET /api/v1/namespaces': { namespaces: [{ name: 's3://orders-lake' }, { name: 'etl' }] },
      'GET /api/v1/search': (url: URL) => ({
        body: {
          results: url.searchParams.get('filter') === 'FIELD'
            ? [{ type: 'FIELD', name: 'order_id', namespace: 'etl', dataset: 'shop.orders', nodeId: 'datasetField:etl:shop.orders:order_id' }]
            : [
                { type: 'DATASET', name: 'shop.orders', namespace: 'etl', nodeId: 'dataset:etl:shop.orders' },
                { type: 'JOB', name: 'load_orders', namespace: 'etl', nodeId: 'job:etl:load_orders' },
              ],
        },
      }),
    });
    render(<SessionProvider initial={{ name: 'v', role: 'viewer', roles: ['viewer'] }}><SearchPage q="orders" /></SessionProvider>);
    expect(await screen.findByRole('link', { name: 'shop.orders' })).toHaveAttribute('href', '/datasets/etl/shop.orders');
    expect(screen.getByRole('link', { name: 'load_orders' })).toHaveAttribute('href', '/jobs/etl/load_orders');
    expect(screen.getByRole('link', { name: 'shop.orders.order_id' })).toHaveAttribute('href', '/datasets/etl/shop.orders');
    expect(await screen.findByRole('link', { name: 's3://orders-lake' })).toHaveAttribute('href', '/namespaces/s3%3A%2F%2Forders-lake');
    expect(calls.filter((c) => c.path.startsWith('/api/v1/search')).map((c) => new URLSearchParams(c.path.split('?')[1]).get('q'))).toEqual(['orders', 'orders']);
  });
});
