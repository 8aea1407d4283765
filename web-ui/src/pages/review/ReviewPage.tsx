import { useCallback, useEffect, useState } from 'react';
import { api, type Proposal } from '../../api';
import { ErrorBox } from '../../components/Status';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { useAsync } from '../../useAsync';

const key = (p: Proposal) => `${p.namespace}\n${p.dataset}\n${p.field}\n${p.code}`;

/**
 * The steward's review queue: one proposal at a time with its evidence, decided from the keyboard
 * (a accept, r reject, j or ↓ next, k or ↑ previous). Decisions go to the server as they are made,
 * so nothing is lost when the steward stops halfway.
 */
export function ReviewPage() {
  const { me } = useSession();
  const queue = useAsync(() => api.proposals({}), []);
  const [at, setAt] = useState(0);
  const [done, setDone] = useState<Record<string, 'accept' | 'reject'>>({});
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const proposals = queue.data?.proposals ?? [];
  const current = proposals[at];
  const mayDecide = can(me, 'classify');

  const decide = useCallback(
    async (decision: 'accept' | 'reject') => {
      if (!current || !mayDecide || done[key(current)]) {
        return;
      }
      setError(null);
      try {
        await api.decide([{ namespace: current.namespace, dataset: current.dataset, field: current.field, code: current.code, decision }], reason || undefined);
        setDone((d) => ({ ...d, [key(current)]: decision }));
        setStatus(`${decision === 'accept' ? 'Accepted' : 'Rejected'} ${current.code} on ${current.dataset}.${current.field}`);
        setAt((i) => Math.min(i + 1, proposals.length - 1));
      } catch (e) {
        setError(e as Error);
      }
    },
    [current, mayDecide, done, reason, proposals.length],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      }
      if (e.key === 'a') {
        void decide('accept');
      } else if (e.key === 'r') {
        void decide('reject');
      } else if (e.key === 'j' || e.key === 'ArrowDown') {
        setAt((i) => Math.min(i + 1, Math.max(proposals.length - 1, 0)));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        setAt((i) => Math.max(i - 1, 0));
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide, proposals.length]);

  const remaining = (queue.data?.totalCount ?? 0) - Object.keys(done).length;
  return (
    <section>
      <header className="page-head">
        <h1>Review proposed labels</h1>
      </header>
      <p data-testid="review-count">
        {queue.data ? `${remaining} ${remaining === 1 ? 'proposal waits' : 'proposals wait'} for review` : 'Loading…'}
        {queue.data && queue.data.totalCount > proposals.length && ` (the ${proposals.length} most confident are listed)`}
      </p>
      {mayDecide ? (
        <p className="hint">
          Keys: <kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>j</kbd>/<kbd>↓</kbd> next, <kbd>k</kbd>/<kbd>↑</kbd> previous.{' '}
          <label>
            Reason for these decisions <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="optional" />
          </label>
        </p>
      ) : (
        <p className="hint">Only a steward or an admin decides on proposals.</p>
      )}
      <ErrorBox error={queue.error ?? error ?? undefined} />
      {status && <p role="status">{status}</p>}
      {current && (
        <article className="proposal" aria-label="Current proposal" data-testid="current-proposal">
          <h2>
            {current.code} on{' '}
            <Link to={`/datasets/${encodeURIComponent(current.namespace)}/${encodeURIComponent(current.dataset)}`}>
              {current.dataset}
            </Link>
            .{current.field}
          </h2>
          <p>
            {current.source === 'NAME' ? 'Classified on arrival by name' : 'Detected from sample values'}, confidence {current.confidence}
            {current.protection && current.protection !== 'CLEAR' ? `, protection ${current.protection}` : ''}
          </p>
          <p className="evidence">{current.explanation}</p>
          {mayDecide && (
            <div className="actions">
              <button type="button" onClick={() => void decide('accept')} disabled={!!done[key(current)]}>
                Accept (a)
              </button>{' '}
              <button type="button" onClick={() => void decide('reject')} disabled={!!done[key(current)]}>
                Reject (r)
              </button>
            </div>
          )}
        </article>
      )}
      {proposals.length > 0 && (
        <table>
          <caption>Proposals, most confident first</caption>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Field</th>
              <th scope="col">Label</th>
              <th scope="col">Confidence</th>
              <th scope="col">Evidence</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p, i) => (
              <tr key={key(p)} aria-current={i === at ? 'true' : undefined} className={i === at ? 'current' : undefined} onClick={() => setAt(i)}>
                <td>{p.namespace}/{p.dataset}</td>
                <td>{p.field}</td>
                <td>{p.code}</td>
                <td>{p.confidence}</td>
                <td className="small">{p.explanation}</td>
                <td>{done[key(p)] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The console's line about the queue: how many proposals wait, with a link to review them. */
export function ProposalsWaiting() {
  const count = useAsync(() => api.proposals({ limit: 0 }), []);
  if (!count.data) {
    return null;
  }
  const n = count.data.totalCount;
  return (
    <p data-testid="proposals-waiting">
      {n === 0 ? 'No proposed labels wait for review.' : `${n} ${n === 1 ? 'proposed label waits' : 'proposed labels wait'} for review. `}
      {n > 0 && <Link to="/review">Review them</Link>}
    </p>
  );
}
