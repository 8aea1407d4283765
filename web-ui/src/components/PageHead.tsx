import type { ReactNode } from 'react';
import { namespacePath } from '../nodes';
import { Link } from '../router';

/** The head of a node's page: kind, name, namespace link, a summary line, description, and actions. */
export function PageHead({ kind, name, namespace, summary, description, actions }: {
  kind: 'dataset' | 'job';
  name: string;
  namespace: string;
  summary: ReactNode;
  description?: string | null;
  actions: ReactNode;
}) {
  return (
    <header className="page-head">
      <div>
        <span className={`kind kind-${kind}`}>{kind}</span>
        <h1>{name}</h1>
        <p className="mono small muted">
          <Link to={namespacePath(namespace)}>{namespace}</Link>
        </p>
        <p className="small">{summary}</p>
        {description && <p>{description}</p>}
      </div>
      <div className="actions">{actions}</div>
    </header>
  );
}

/** Every facet of a dataset or job, each folded, as JSON text. */
export function Facets({ facets }: { facets: Record<string, unknown> }) {
  const names = Object.keys(facets).sort();
  if (names.length === 0) {
    return <p className="empty">No facets.</p>;
  }
  return (
    <div className="facets">
      {names.map((n) => (
        <details key={n}>
          <summary>{n}</summary>
          <pre>{JSON.stringify(facets[n], null, 2)}</pre>
        </details>
      ))}
    </div>
  );
}
