import { useState } from 'react';
import { api, type Incident } from '../../api';
import { SeverityBadge } from '../../components/Badges';
import { AsyncView, ErrorBox, formatTime } from '../../components/Status';
import { Head } from '../../components/Table';
import { kindOf, lineagePath, splitId, datasetPath, jobPath } from '../../nodes';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { useAsync } from '../../useAsync';

/** One incident: what, since when, why (the root cause and its lineage path), who did what, and the steward's buttons. */
export function IncidentPage({ id }: { id: string }) {
  const { me, namespaces } = useSession();
  const [version, setVersion] = useState(0);
  const incident = useAsync(() => api.incident(id), [id, version]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const act = (action: 'acknowledge' | 'resolve') => {
    setError(undefined);
    api.actOnIncident(id, action, reason || undefined).then(() => setVersion((v) => v + 1), (e: Error) => setError(e));
  };
  const nodeLink = (nodeId: string) => {
    const parts = splitId(nodeId, namespaces);
    if (!parts) {
      return nodeId;
    }
    const to = kindOf(nodeId) === 'job' ? jobPath(parts.namespace, parts.name) : datasetPath(parts.namespace, parts.name);
    return <Link to={to}>{kindOf(nodeId) === 'job' ? 'job ' : ''}{parts.name}</Link>;
  };
  return (
    <AsyncView state={incident}>
      {(i: Incident) => (
        <section>
          <header className="page-head">
            <h1>
              <SeverityBadge severity={i.severity} /> {i.kind}: {i.namespace}/{i.name}
            </h1>
            <p data-testid="incident-state">
              {i.state} · opened {formatTime(i.openedAt)}
              {i.acknowledgedBy && ` · acknowledged by ${i.acknowledgedBy}`}
              {i.resolvedBy && ` · resolved by ${i.resolvedBy}${i.resolution ? ` (${i.resolution})` : ''}`}
            </p>
          </header>
          <p>{i.title}</p>
          {(i.detail.rootCause ?? []).length > 0 && (
            <>
              <h2>Root cause</h2>
              {(i.detail.rootCause ?? []).map((c) => (
                <div key={c.jobKey} className="root-cause" data-testid="root-cause">
                  <p>
                    Job <strong>{c.job}</strong> is {c.state}: {c.reason}
                  </p>
                  <p className="small">
                    {c.path.map((step, n) => (
                      <span key={step}>
                        {n > 0 && ' ← '}
                        {nodeLink(step)}
                      </span>
                    ))}{' '}
                    · <Link to={lineagePath(c.path[0] as string, { path: JSON.stringify(c.path), direction: 'upstream' })}>show in lineage</Link>
                  </p>
                </div>
              ))}
            </>
          )}
          {can(me, 'respond') && i.state !== 'RESOLVED' && (
            <p>
              <label>
                Reason <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="optional" />
              </label>{' '}
              {i.state === 'OPEN' && <button type="button" onClick={() => act('acknowledge')}>Acknowledge</button>}{' '}
              <button type="button" onClick={() => act('resolve')}>Resolve</button>
            </p>
          )}
          <ErrorBox error={error} />
          <h2>History</h2>
          <table className="data">
            <Head columns={['When', 'What', 'Who', 'Why']} />
            <tbody>
              {(i.history ?? []).map((h, n) => (
                <tr key={n}>
                  <td>{formatTime(h.at)}</td>
                  <td>{h.action}</td>
                  <td>{h.actor}</td>
                  <td className="small">{h.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </AsyncView>
  );
}
