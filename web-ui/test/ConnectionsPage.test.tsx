import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsPage } from '../src/pages/connections/ConnectionsPage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

const shop = {
  name: 'shop', jdbcUrl: 'jdbc:postgresql://db:5432/shop', user: 'reader', password: 'stored encrypted', passwordEnv: null, include: ['*'], exclude: [],
  sampleSize: 100, schedule: null, namespace: 'postgres://db:5432', lastScan: null,
};

describe('connections', () => {
  it('registers a database, tests it and follows a scan to its changes', async () => {
    let registered = false;
    let polls = 0;
    const calls = stubApi({
      'GET /api/v1/connections': () => ({ body: { connections: registered ? [shop] : [] } }),
      'POST /api/v1/connections': () => {
        registered = true;
        return { status: 201, body: shop };
      },
      'POST /api/v1/connections/shop/test': { ok: true, product: 'PostgreSQL 15.18' },
      'POST /api/v1/connections/shop/scans': () => ({ status: 202, body: { id: 's1' } }),
      'GET /api/v1/connections/shop/scans/s1': () => {
        polls++;
        return polls < 2
          ? { body: { id: 's1', connection: 'shop', state: 'RUNNING', startedAt: '', finishedAt: null, tables: 1, columns: 3, progress: 0.5, error: null } }
          : { body: { id: 's1', connection: 'shop', state: 'SUCCEEDED', startedAt: '', finishedAt: '2026-12-04T00:00:00Z', tables: 2, columns: 7, progress: 1, error: null,
              changes: [{ dataset: 'shop.public.customers', column: 'phone', change: 'ADDED', type: 'text' }] } };
      },
    });
    render(<SessionProvider initial={{ name: 'ada', role: 'admin', roles: ['admin'] }}><ConnectionsPage /></SessionProvider>);
    expect(await screen.findByText('No connections yet.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText('JDBC URL'), 'jdbc:postgresql://db:5432/shop');
    await userEvent.type(screen.getByLabelText('User'), 'reader');
    await userEvent.type(screen.getByLabelText('Password'), 's3cret');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByTestId('connections')).toHaveTextContent('jdbc:postgresql://db:5432/shop');
    const posted = JSON.parse(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/connections')?.body as string);
    expect(posted).toEqual({ name: 'shop', jdbcUrl: 'jdbc:postgresql://db:5432/shop', user: 'reader', password: 's3cret', sampleSize: 100 });
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(await screen.findByText('connected: PostgreSQL 15.18')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Scan now' }));
    expect(await screen.findByText(/ADDED shop.public.customers.phone \(text\)/, {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByTestId('scan-shop')).toHaveTextContent('SUCCEEDED');
    expect(screen.getByTestId('scan-shop')).toHaveTextContent('2 tables, 7 columns');
  });
});
