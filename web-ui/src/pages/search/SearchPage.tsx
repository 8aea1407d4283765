import { api } from '../../api';
import { Head } from '../../components/Table';
import { ErrorBox, Loading } from '../../components/Status';
import { fieldId, lineagePath, namespacePath, searchTarget as target } from '../../nodes';
import { useSession } from '../../session';
import { Link } from '../../router';
import { useAsync } from '../../useAsync';

export function SearchPage({ q }: { q: string }) {
  const { namespaces } = useSession();
  const matchingNamespaces = namespaces.filter((ns) => ns.toLowerCase().includes(q.toLowerCase()));
  const results = useAsync(
    () => (q ? Promise.all([api.search(q), api.search(q, 'FIELD')]).then(([a, b]) => [...a, ...b]) : Promise.resolve([])),
    [q],
  );
  return (
    <section>
      <h1>Search results for “{q}”</h1>
      {matchingNamespaces.length > 0 && (
        <p>
          Namespaces:{' '}
          {matchingNamespaces.map((ns) => (
            <Link key={ns} to={namespacePath(ns)} className="chip">
              {ns}
            </Link>
          ))}
        </p>
      )}
      <Loading when={results.loading} />
      <ErrorBox error={results.error} />
      {results.data && results.data.length === 0 && matchingNamespaces.length === 0 && <p className="empty">Nothing in the catalog matches.</p>}
      {results.data && results.data.length > 0 && (
        <table>
          <Head columns={['Type', 'Name', 'Namespace', 'Lineage']} />
          <tbody>
            {results.data.map((r) => (
              <tr key={`${r.type}:${r.nodeId}`}>
                <td>
                  <span className={`kind kind-${r.type.toLowerCase()}`}>{r.type.toLowerCase()}</span>
                </td>
                <td>
                  <Link to={target(r)}>{r.type === 'FIELD' ? `${r.dataset ?? ''}.${r.name}` : r.name}</Link>
                  {(r.aliases ?? []).length > 0 && <div className="small">also known as {r.aliases?.map((a) => a.name).join(', ')}</div>}
                </td>
                <td className="mono small">
                  <Link to={namespacePath(r.namespace)}>{r.namespace}</Link>
                </td>
                <td>
                  <Link to={r.type === 'FIELD' && r.dataset ? lineagePath(`dataset:${r.namespace}:${r.dataset}`, { field: fieldId(r.namespace, r.dataset, r.name) }) : lineagePath(r.nodeId)}>
                    lineage
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
