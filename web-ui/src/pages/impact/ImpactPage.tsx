import { useState, type FormEvent } from 'react';
import { Head } from '../../components/Table';
import { api, type ImpactAffected } from '../../api';
import { ClassificationBadge } from '../../components/Badges';
import { ErrorBox, Loading } from '../../components/Status';
import { lineagePath, pageOf } from '../../nodes';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { useAsync } from '../../useAsync';

const CHANGES = [
  ['drop', 'Drop (remove the column or dataset)'],
  ['rename', 'Rename'],
  ['type-change', 'Change its type'],
  ['delete', 'Delete the data'],
  ['delay', 'Delay (arrives late)'],
] as const;

function labelOf(c: ImpactAffected['classifications'][number]) {
  return typeof c === 'string' ? { code: c, protection: undefined } : { code: c.code, protection: c.protection };
}

function short(id: string): string {
  return id.replace(/^(dataset|job|datasetField):/, '');
}

function Results({ nodeId, change }: { nodeId: string; change: string }) {
  const { namespaces } = useSession();
  const answer = useAsync(() => api.impact(nodeId, change), [nodeId, change]);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const csv = async () => {
    try {
      setDownloaded(await api.impactCsv(nodeId, change));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Loading when={answer.loading} />
      <ErrorBox error={answer.error} />
      {answer.data && (
        <>
          <p>
            <strong>{answer.data.affected.length}</strong> affected asset{answer.data.affected.length === 1 ? '' : 's'}
            {answer.data.truncated && ' (cut at the traversal cap: there may be more)'}.{' '}
            <button type="button" onClick={csv}>
              Download CSV
            </button>
            {downloaded && <span className="small muted"> saved {downloaded}</span>}
            {error && <span role="alert" className="error"> {error}</span>}
          </p>
          {answer.data.affected.length > 0 && (
            <table className="impact">
              <Head columns={['Asset', 'Distance', 'Effect', 'Owners', 'Classifications', 'Regulations', 'Path']} />
              <tbody>
                {answer.data.affected.map((a) => {
                  const page = pageOf(a.nodeId, namespaces);
                  return (
                    <tr key={a.nodeId}>
                      <td>
                        <span className={`kind kind-${a.type.toLowerCase()}`}>{a.type.toLowerCase()}</span>{' '}
                        {page ? <Link to={page}>{short(a.nodeId)}</Link> : <span className="mono">{short(a.nodeId)}</span>}
                      </td>
                      <td>{a.distance}</td>
                      <td className="small">{a.effect ?? '—'}</td>
                      <td className="small">{a.owners.join(', ') || '—'}</td>
                      <td>
                        {a.classifications.map((c, i) => {
                          const l = labelOf(c);
                          return <ClassificationBadge key={`${l.code}${i}`} code={l.code} protection={l.protection ?? null} />;
                        })}
                      </td>
                      <td>{a.regulations.join(', ') || '—'}</td>
                      <td className="small">
                        <details>
                          <summary>{a.path.length} steps</summary>
                          <ol>
                            {a.path.map((p, i) => (
                              <li key={`${p}${i}`} className="mono">{short(p)}</li>
                            ))}
                          </ol>
                        </details>
                        {a.path.length > 1 && a.path.every((p) => !p.startsWith('datasetField:')) && (
                          <Link to={lineagePath(a.path[0] as string, { path: JSON.stringify(a.path), direction: 'downstream' })}>show in lineage</Link>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

export function ImpactPage({ params }: { params: URLSearchParams }) {
  const nodeId = params.get('node') ?? '';
  const change = params.get('change') ?? '';
  const [node, setNode] = useState(nodeId);
  const [picked, setPicked] = useState(change || 'drop');
  const [q, setQ] = useState('');
  const matches = useAsync(() => (q.trim().length > 1 ? Promise.all([api.search(q, 'DATASET', 10), api.search(q, 'FIELD', 10)]).then(([a, b]) => [...a, ...b]) : Promise.resolve([])), [q]);
  const run = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/impact?${new URLSearchParams({ node, change: picked }).toString()}`);
  };
  return (
    <section>
      <h1>Impact of a change</h1>
      <form onSubmit={run} className="impact-form">
        <label>
          Dataset or field{' '}
          <input value={node} onChange={(e) => setNode(e.target.value)} placeholder="dataset:namespace:name or datasetField:…" size={60} required aria-label="Dataset or field id" />
        </label>
        <label>
          Find{' '}
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="search by name" aria-label="Find a dataset or field" />
        </label>
        {matches.data && matches.data.length > 0 && (
          <ul className="pick-list">
            {matches.data.map((m) => (
              <li key={m.nodeId}>
                <button type="button" className="link" onClick={() => { setNode(m.nodeId); setQ(''); }}>
                  {m.type === 'FIELD' ? `${m.dataset}.${m.name}` : m.name}
                </button>{' '}
                <span className="mono small muted">{m.namespace}</span>
              </li>
            ))}
          </ul>
        )}
        <fieldset>
          <legend>Change</legend>
          {CHANGES.map(([value, text]) => (
            <label key={value} className="block">
              <input type="radio" name="change" value={value} checked={picked === value} onChange={() => setPicked(value)} /> {text}
            </label>
          ))}
        </fieldset>
        <button type="submit">Show impact</button>
      </form>
      {nodeId && change && (
        <>
          <h2>
            {CHANGES.find(([v]) => v === change)?.[1] ?? change}: <span className="mono">{short(nodeId)}</span>
          </h2>
          <Results nodeId={nodeId} change={change} />
        </>
      )}
    </section>
  );
}
