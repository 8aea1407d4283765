import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

describe('sign-in', () => {
  it('checks the token with the server, keeps it for the session and shows the role', async () => {
    const calls = stubApi({
      'GET /api/v1/me': (_url: URL, init: RequestInit) =>
        (init.headers as Record<string, string>).Authorization === 'Bearer wm_good'
          ? { body: { name: 'sam', role: 'steward', roles: ['steward', 'viewer'] } }
          : { status: 401, body: { error: 'unauthorized' } },
      'GET /api/v1/namespaces': { namespaces: [] },
      'GET /api/v1/runs': { runs: [] },
    });
    render(<SessionProvider><App /></SessionProvider>);
    await userEvent.type(screen.getByLabelText('API token'), 'wm_good');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('role')).toHaveTextContent('steward');
    expect(sessionStorage.getItem('waymark.token')).toBe('wm_good');
    expect(screen.queryByRole('link', { name: 'Audit log' })).toBeNull();
    expect(calls.filter((c) => c.path.startsWith('/api/v1/runs')).every((c) => c.auth === 'Bearer wm_good')).toBe(true);
  });

  it('says so when the server does not know the token, and keeps nothing', async () => {
    stubApi({ 'GET /api/v1/me': () => ({ status: 401, body: { error: 'unauthorized' } }) });
    render(<SessionProvider><App /></SessionProvider>);
    await userEvent.type(screen.getByLabelText('API token'), 'wm_wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/does not know this token/);
    expect(sessionStorage.getItem('waymark.token')).toBeNull();
  });
});
