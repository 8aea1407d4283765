import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReviewPage } from '../src/pages/review/ReviewPage';
import { SessionProvider } from '../src/session';
import { stubApi } from './server';

afterEach(() => vi.unstubAllGlobals());

const proposal = (field: string, code: string, confidence: number) => ({
  namespace: 'crm', dataset: 'contacts', field, code, source: 'NAME', confidence, detector: 'email', explanation: `name '${field}', type string: pattern`, protection: 'CLEAR',
});

describe('review queue', () => {
  it('decides proposals from the keyboard, one request per decision, and moves on', async () => {
    const calls = stubApi({
      'GET /api/v1/classifications/proposals': { proposals: [proposal('mail', 'PII.contact.email', 0.7), proposal('tel', 'PII.contact.phone', 0.7)], totalCount: 2 },
      'POST /api/v1/classifications/decisions': { accepted: 1, rejected: 0 },
    });
    render(<SessionProvider initial={{ name: 'sam', role: 'steward', roles: ['steward', 'viewer'] }}><ReviewPage /></SessionProvider>);
    expect(await screen.findByTestId('review-count')).toHaveTextContent('2 proposals wait for review');
    expect(screen.getByTestId('current-proposal')).toHaveTextContent("name 'mail', type string: pattern");
    await userEvent.keyboard('a');
    expect(await screen.findByRole('status')).toHaveTextContent('Accepted PII.contact.email on contacts.mail');
    expect(screen.getByTestId('current-proposal')).toHaveTextContent('PII.contact.phone');
    await userEvent.keyboard('r');
    expect(await screen.findByText(/Rejected PII.contact.phone/)).toBeInTheDocument();
    const posted = calls.filter((c) => c.method === 'POST').map((c) => JSON.parse(c.body as string));
    expect(posted).toEqual([
      { decisions: [{ namespace: 'crm', dataset: 'contacts', field: 'mail', code: 'PII.contact.email', decision: 'accept' }] },
      { decisions: [{ namespace: 'crm', dataset: 'contacts', field: 'tel', code: 'PII.contact.phone', decision: 'reject' }] },
    ]);
    expect(screen.getByTestId('review-count')).toHaveTextContent('0 proposals wait for review');
  });

  it('shows a viewer the queue but no way to decide', async () => {
    const calls = stubApi({ 'GET /api/v1/classifications/proposals': { proposals: [proposal('mail', 'PII.contact.email', 0.7)], totalCount: 1 } });
    render(<SessionProvider initial={{ name: 'vic', role: 'viewer', roles: ['viewer'] }}><ReviewPage /></SessionProvider>);
    expect(await screen.findByTestId('review-count')).toHaveTextContent('1 proposal waits for review');
    await userEvent.keyboard('a');
    expect(screen.queryByRole('button', { name: /Accept/ })).toBeNull();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
