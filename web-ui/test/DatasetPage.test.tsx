import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../src/api';
import { DatasetPage } from '../src/pages/dataset/DatasetPage';
import { SessionProvider } from '../src/session';


afterEach(() => vi.unstubAllGlobals());

const NAME = '<img src=x onerror=alert(1)>';


function dataset() {
  return {
    id: { namespace: 'pg://db:5432', name: NAME }, name: NAME, namespace: 'pg://db:5432', type: 'DB_TABLE',
    fields: [
      { name: 'email', type: 'text', classifications: [{ code: 'PII.contact.email', source: 'STEWARD', protection: 'CLEAR' }] },
      { name: 'email_hash', type: 'text', classifications: [{ code: 'PII.contact.email', source: 'PROPAGATED', protection: 'HASHED_KEYED',
        origin: 'datasetField:pg://db:5432:crm.customers:email', path: ['datasetField:pg://db:5432:crm.customers:email', 'datasetField:pg://db:5432:x:email_hash'] }] },
    ],
    annotations: { owner: 'team:crm' }, facets: {}, suspectedClassifications: [],
  };
}

function renderAs(role: Me['role']) {
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://waymark.test');
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
    if (url.pathname.endsWith('/versions')) {
      return json({ versions: [] });
    }
    if (url.pathname.endsWith('/annotations')) {
      return json({ annotations: { owner: 'team:crm' }, history: [] });
    }
    if (url.pathname.includes('/datasets/')) {
      return json(dataset());
    }
    if (url.pathname === '/api/v1/compliance/findings') {
      return json({ findings: [] });
    }
    return json({ namespaces: [], classifications: [] });
  });
  render(
    <SessionProvider initial={{ name: 'x', role, roles: [role] }}>
      <DatasetPage namespace="pg://db:5432" name={NAME} />
    </SessionProvider>,
  );
}

describe('the dataset page', () => {
  it('shows each field with its classification and protection, names as text', async () => {
    renderAs('viewer');
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(NAME);
    expect(document.querySelector('img')).toBeNull();
    const rows = screen.getAllByRole('row');
    const email = rows.find((r) => within(r).queryByText('email'));
    const hashed = rows.find((r) => within(r).queryByText('email_hash'));
    expect(within(email as HTMLElement).getByTestId('classification-badge')).toHaveTextContent(/PII.*clear/);
    expect(within(hashed as HTMLElement).getByTestId('classification-badge')).toHaveTextContent(/hashed \(keyed\)/);
    expect(within(hashed as HTMLElement).getByText(/from pg:\/\/db:5432:crm.customers:email, 1 hop/)).toBeInTheDocument();
  });

  it('offers classification and annotation edits to a steward only', async () => {
    renderAs('viewer');
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('button', { name: /Add a classification/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Edit annotations' })).toBeNull();
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
    renderAs('steward');
    await screen.findByRole('heading', { level: 1 });
    expect(await screen.findAllByRole('button', { name: /Add a classification/ })).toHaveLength(2);
    expect(await screen.findByRole('form', { name: 'Edit annotations' })).toBeInTheDocument();
  });
});
