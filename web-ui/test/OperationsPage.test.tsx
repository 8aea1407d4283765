import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OperationsPage } from '../src/pages/operations/OperationsPage';
import { IncidentPage } from '../src/pages/incident/IncidentPage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

const stale = {
  id: 'i-1', kind: 'DATASET_STALE', state: 'OPEN', severity: 'high', title: 'Dataset etl/report is stale: last written 2h ago', subject: 'dataset:etl:report',
  namespace: 'etl', name: 'report', owner: 'reporting', openedAt: '2026-12-03T10:00:00Z', updatedAt: '2026-12-03T10:00:00Z',
  acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, resolution: null,
  detail: { rootCause: [{ job: 'etl/load_orders', jobKey: 'job:etl:load_orders', state: 'LATE', reason: 'a run was expected by 09:00',
    path: ['dataset:etl:report', 'job:etl:publish', 'dataset:etl:orders', 'job:etl:load_orders'] }] },
  history: [{ at: '2026-12-03T10:00:00Z', action: 'opened', actor: 'waymark-monitor', detail: null }],
};

const job = (name: string, state: string, reason: string | null) => ({
  namespace: 'etl', name, state, reason, p50DurationMs: 60000, p95DurationMs: 120000, successRate: 0.5, cadenceMs: null, expectedBy: null, tier: null, owner: null,
  latestRun: { id: 'r', state: 'COMPLETED', startedAt: '2026-12-03T09:00:00Z', endedAt: null, durationMs: null },
});

describe('operations', () => {
  it('lists open incidents, jobs by state and the freshness board, and lets an admin test a channel', async () => {
    const calls = stubApi({
      'GET /api/v1/incidents': (url: URL) => ({ body: url.searchParams.get('state') === 'OPEN' ? { incidents: [stale], totalCount: 1 } : { incidents: [], totalCount: 0 } }),
      'GET /api/v1/monitor/jobs': { jobs: [job('load_orders', 'LATE', 'a run was expected by 09:00'), job('publish', 'OK', null)], totalCount: 2 },
      'GET /api/v1/monitor/datasets': { datasets: [{ namespace: 'etl', name: 'report', freshnessSla: 'PT1H', lastWrite: '2026-12-03T08:00:00Z', lagSeconds: 7200, stale: true }] },
      'GET /api/v1/alerts/channels': { channels: [{ name: 'oncall', type: 'webhook', settings: {}, secret: 'stored encrypted', route: {}, createdAt: '', createdBy: 'ops' }] },
      'POST /api/v1/alerts/channels/oncall/test': { ok: false, error: 'the receiver answered 401' },
    });
    render(<SessionProvider initial={{ name: 'ada', role: 'admin', roles: ['admin'] }}><OperationsPage /></SessionProvider>);
    expect(await screen.findByTestId('open-incidents')).toHaveTextContent('1 open');
    expect(screen.getByRole('link', { name: /etl\/report is stale/ })).toHaveAttribute('href', '/incidents/i-1');
    expect(await screen.findByTestId('job-states')).toHaveTextContent('LATE');
    expect(screen.getByTestId('job-states')).toHaveTextContent('a run was expected by 09:00');
    expect(await screen.findByTestId('freshness')).toHaveTextContent('STALE');
    await userEvent.click(await screen.findByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText('failed: the receiver answered 401')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/alerts/channels/oncall/test')).toBe(true);
  });

  it('shows a viewer no channels', async () => {
    const calls = stubApi({
      'GET /api/v1/incidents': { incidents: [], totalCount: 0 },
      'GET /api/v1/monitor/jobs': { jobs: [], totalCount: 0 },
      'GET /api/v1/monitor/datasets': { datasets: [] },
    });
    render(<SessionProvider initial={{ name: 'vic', role: 'viewer', roles: ['viewer'] }}><OperationsPage /></SessionProvider>);
    expect(await screen.findByTestId('open-incidents')).toHaveTextContent('No open incidents.');
    expect(calls.some((c) => c.path.startsWith('/api/v1/alerts'))).toBe(false);
  });

  it('draws an incident with its root-cause path and lets a steward acknowledge it', async () => {
    let acknowledged = false;
    const calls = stubApi({
      'GET /api/v1/incidents/i-1': () => ({ body: acknowledged ? { ...stale, state: 'ACKNOWLEDGED', acknowledgedBy: 'sam' } : stale }),
      'POST /api/v1/incidents/i-1/acknowledge': () => {
        acknowledged = true;
        return { body: { ...stale, state: 'ACKNOWLEDGED' } };
      },
      'GET /api/v1/namespaces': { namespaces: [{ name: 'etl' }] },
    });
    render(<SessionProvider initial={{ name: 'sam', role: 'steward', roles: ['steward', 'viewer'] }}><IncidentPage id="i-1" /></SessionProvider>);
    expect(await screen.findByTestId('root-cause')).toHaveTextContent('Job etl/load_orders is LATE: a run was expected by 09:00');
    const lineage = screen.getByRole('link', { name: 'show in lineage' });
    expect(decodeURIComponent(lineage.getAttribute('href') ?? '')).toContain('node=dataset:etl:report');
    expect(decodeURIComponent(lineage.getAttribute('href') ?? '')).toContain('job:etl:load_orders');
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByText(/ACKNOWLEDGED · opened .* · acknowledged by sam/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});
