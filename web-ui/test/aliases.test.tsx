import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchBox } from '../src/components/SearchBox';
import { DatasetPage } from '../src/pages/dataset/DatasetPage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

const PHYSICAL = { namespace: 'file', name: '/lake/warehouse/customer_ltv' };
const ALIAS = { namespace: 'hive://metastore', name: 'analytics.customer_ltv' };

describe('aliases', () => {
  it('an alias page shows the dataset it names, saying which alias was opened', async () => {
    stubApi({
      [`GET /api/v1/namespaces/${encodeURIComponent(ALIAS.namespace)}/datasets/${ALIAS.name}`]: {
        ...ALIAS, id: ALIAS, fields: [], aliasOf: PHYSICAL,
      },
      [`GET /api/v1/namespaces/${PHYSICAL.namespace}/datasets/${encodeURIComponent(PHYSICAL.name)}`]: {
        ...PHYSICAL, id: PHYSICAL, type: 'DB_TABLE', fields: [{ name: 'customer_id', type: 'long', classifications: [] }], aliases: [ALIAS],
      },
      'GET /api/v1/namespaces': { namespaces: [] },
    });
    render(<SessionProvider initial={{ name: 'v', role: 'viewer', roles: ['viewer'] }}><DatasetPage {...ALIAS} /></SessionProvider>);
    expect(await screen.findByRole('note')).toHaveTextContent('analytics.customer_ltv (hive://metastore) is an alias of this dataset');
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(PHYSICAL.name);
    expect(await screen.findByText('customer_id')).toBeInTheDocument();
  });

  it('the search box suggests as you type, with the aliases a dataset has', async () => {
    const calls = stubApi({
      'GET /api/v1/search': {
        results: [{ type: 'DATASET', ...PHYSICAL, nodeId: `dataset:${PHYSICAL.namespace}:${PHYSICAL.name}`, aliases: [ALIAS], match: 'PREFIX' }],
      },
    });
    render(<SessionProvider initial={{ name: 'v', role: 'viewer', roles: ['viewer'] }}><SearchBox initial="" /></SessionProvider>);
    const box = screen.getByRole('searchbox', { name: 'Search the catalog' });
    fireEvent.change(box, { target: { value: 'c' } });
    fireEvent.change(box, { target: { value: 'cu' } });
    fireEvent.change(box, { target: { value: 'cust' } });
    const suggestions = await screen.findByRole('list', { name: 'Suggestions' });
    expect(suggestions).toHaveTextContent('also analytics.customer_ltv');
    expect(screen.getByRole('link', { name: PHYSICAL.name })).toHaveAttribute('href', `/datasets/file/${encodeURIComponent(PHYSICAL.name)}`);
    expect(calls.filter((c) => c.path.startsWith('/api/v1/search')).map((c) => new URLSearchParams(c.path.split('?')[1]).get('q'))).toEqual(['cust']);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('list', { name: 'Suggestions' })).toBeNull();
  });
});
