import { useState, type FormEvent } from 'react';
import { Head } from '../../components/Table';
import { api, type Classification, type Dataset, type DatasetRef, type Field } from '../../api';
import { ClassificationBadge } from '../../components/Badges';
import { Annotations } from '../../components/Annotations';
import { Facets, PageHead } from '../../components/PageHead';
import { FindingsTable } from '../../components/FindingsTable';
import { AsyncView, Loading, formatTime } from '../../components/Status';
import { datasetId, fieldId, impactPath, lineagePath } from '../../nodes';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { useAsync } from '../../useAsync';
import { Health, Quality } from './Quality';

function ClassifyForm({ dataset, field, onDone }: { dataset: Dataset; field: Field; onDone: () => void }) {
  const codes = useAsync(() => api.taxonomy(), []);
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.classify(dataset.namespace, dataset.name, field.name, code, reason);
      setCode('');
      setReason('');
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const listId = `codes-${field.name}`;
  return (
    <form onSubmit={submit} className="inline-form">
      <input aria-label={`Classification for ${field.name}`} list={listId} placeholder="code, e.g. PII.contact.email" value={code} onChange={(e) => setCode(e.target.value)} required />
      <datalist id={listId}>
        {codes.data?.map((c) => (
          <option key={c.code} value={c.code}>
            {c.description}
          </option>
        ))}
      </datalist>
      <input aria-label={`Reason for ${field.name}`} placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit">Classify</button>
      {error && <span role="alert" className="error">{error}</span>}
    </form>
  );
}

/** Where a propagated label came from: its origin field and how many hops it travelled. */
function origin(c: Classification): string {
  const hops = Array.isArray(c.path) ? c.path.length - 1 : null;
  return `from ${(c.origin ?? '').replace(/^datasetField:/, '')}${hops ? `, ${hops} hop${hops === 1 ? '' : 's'}` : ''}`;
}

function Schema({ dataset, onChange }: { dataset: Dataset; onChange: () => void }) {
  const { me } = useSession();
  const steward = can(me, 'classify');
  const [open, setOpen] = useState<string | null>(null);
  const remove = async (field: Field, code: string) => {
    const reason = window.prompt(`Why remove ${code} from ${field.name}? (kept in the audit log)`) ?? '';
    await api.declassify(dataset.namespace, dataset.name, field.name, code, reason);
    onChange();
  };
  if (dataset.fields.length === 0) {
    return <p className="empty">No schema reported for this dataset.</p>;
  }
  return (
    <table className="schema">
      <Head columns={['Field', 'Type', 'Classifications (protection)', 'Lineage']} />
      <tbody>
        {dataset.fields.map((f) => (
          <tr key={f.name}>
            <td className="mono">
              {f.name}
              {f.description && <div className="small muted">{f.description}</div>}
            </td>
            <td className="mono small">{f.type ?? '—'}</td>
            <td>
              {(f.classifications ?? []).map((c) => (
                <span key={c.code} className="badge-wrap">
                  <ClassificationBadge code={c.code} protection={c.protection} source={c.source} />
                  {c.status === 'PROPOSED' && <span className="small muted"> proposed</span>}
                  {c.source === 'PROPAGATED' && c.origin && <span className="small muted"> {origin(c)}</span>}
                  {steward && (
                    <button type="button" className="link small" aria-label={`Remove ${c.code} from ${f.name}`} onClick={() => remove(f, c.code)}>
                      ✕
                    </button>
                  )}
                </span>
              ))}
              {steward &&
                (open === f.name ? (
                  <ClassifyForm dataset={dataset} field={f} onDone={() => { setOpen(null); onChange(); }} />
                ) : (
                  <button type="button" className="link small" onClick={() => setOpen(f.name)} aria-label={`Add a classification to ${f.name}`}>
                    + classify
                  </button>
                ))}
            </td>
            <td>
              <Link to={lineagePath(datasetId(dataset.namespace, dataset.name), { field: fieldId(dataset.namespace, dataset.name, f.name) })}>column lineage</Link>
              {' · '}
              <Link to={impactPath(fieldId(dataset.namespace, dataset.name, f.name))}>impact</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function owners(dataset: Dataset): string[] {
  const list: string[] = [];
  const owner = dataset.annotations?.owner;
  if (typeof owner === 'string') {
    list.push(owner);
  }
  const facet = dataset.facets?.ownership as { owners?: { name?: string }[] } | undefined;
  facet?.owners?.forEach((o) => o.name && !list.includes(o.name) && list.push(o.name));
  return list;
}

/**
 * A dataset's page. An alias (a name a symlinks facet gave a dataset, with nothing of its own)
 * shows the dataset it names, saying which alias was opened.
 */
export function DatasetPage({ namespace, name, openedAs }: { namespace: string; name: string; openedAs?: DatasetRef }) {
  const dataset = useAsync(() => api.dataset(namespace, name), [namespace, name]);
  const versions = useAsync(() => api.datasetVersions(namespace, name), [namespace, name]);
  const id = datasetId(namespace, name);
  const physical = dataset.data?.aliasOf;
  if (physical && !openedAs) {
    return <DatasetPage namespace={physical.namespace} name={physical.name} openedAs={{ namespace, name }} />;
  }
  return (
    <section>
      {openedAs && (
        <p className="notice" role="note">
          <strong>{openedAs.name}</strong> ({openedAs.namespace}) is an alias of this dataset: it names the same data.
        </p>
      )}
      <AsyncView state={dataset}>
        {(d) => (
          <>
            <PageHead kind="dataset" name={d.name} namespace={d.namespace} description={d.description}
                      summary={<>{d.type ?? 'DATASET'} · updated {formatTime(d.updatedAt)} · owners: {owners(d).join(', ') || 'none recorded'}
                        {d.deleted && <strong> · deleted</strong>}
                        {(d.aliases ?? []).length > 0 && <> · also known as {d.aliases?.map((a) => a.name).join(', ')}</>}</>}
                      actions={<>
                        <Link className="button" to={lineagePath(id)}>Open lineage</Link>
                        <Link className="button" to={impactPath(id)}>Impact of a change</Link>
                      </>} />
            <h2>Schema</h2>
            <Schema dataset={d} onChange={dataset.reload} />
            {(d.suspectedClassifications ?? []).length > 0 && (
              <>
                <h3>Suspected (written without column lineage)</h3>
                <p>
                  {d.suspectedClassifications?.map((c) => (
                    <ClassificationBadge key={c.code} code={c.code} protection={c.protection} source={c.source} />
                  ))}
                </p>
              </>
            )}
            <h2>Annotations</h2>
            <Annotations kind="datasets" namespace={d.namespace} name={d.name} onChange={dataset.reload} />
            <h2>Quality</h2>
            <Quality facets={d.facets ?? {}} />
            <Health namespace={d.namespace} name={d.name} />
            <h2>Findings</h2>
            <FindingsTable nodeId={id} />
            <h2>Versions</h2>
            <Loading when={versions.loading} />
            {versions.data && versions.data.length === 0 && <p className="empty">No versions recorded.</p>}
            {versions.data && versions.data.length > 0 && (
              <ul>
                {versions.data.map((v) => (
                  <li key={v.version}>
                    <span className="mono small">{v.version}</span> — {formatTime(v.createdAt)} · {v.fields?.length ?? 0} fields
                  </li>
                ))}
              </ul>
            )}
            <h2>Facets</h2>
            <Facets facets={d.facets ?? {}} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
