import { useState, type FormEvent } from 'react';
import { api, type Finding } from '../api';
import { lineagePath, pageOf, splitId } from '../nodes';
import { Link } from '../router';
import { can, useSession } from '../session';
import { useAsync } from '../useAsync';
import { annotationKeyOf, annotationValue, useAnnotationKeys, ValueInput } from './Annotations';
import { SeverityBadge } from './Badges';
import { Head } from './Table';
import { AsyncView, formatTime } from './Status';

export function lineagePathOf(f: Finding): string[] {
  const path = f.evidence?.lineagePath;
  return Array.isArray(path) ? path.filter((p): p is string => typeof p === 'string') : [];
}

export function missingFacts(f: Finding): string[] {
  const facts = f.evidence?.missingFacts;
  return Array.isArray(facts) ? facts.map(String) : [];
}

/** A steward supplies a missing fact as an annotation on the finding's dataset or job. */
function SupplyFact({ finding, fact, onDone }: { finding: Finding; fact: string; onDone: () => void }) {
  const { namespaces } = useSession();
  const keys = useAnnotationKeys();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = splitId(finding.nodeId, namespaces);
  const key = annotationKeyOf(fact);
  if (id === null || id.kind === 'datasetField') {
    return null;
  }
  const spec = keys.data?.find((k) => k.key === key);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.patchAnnotations(id.kind === 'dataset' ? 'datasets' : 'jobs', id.namespace, id.name, { [key]: annotationValue(spec, value) });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form onSubmit={submit} className="inline-form">
      <ValueInput spec={spec} value={value} onChange={setValue} label={`Supply ${key}`} />
      <button type="submit" disabled={!value}>Supply {key}</button>
      {error && <span role="alert" className="error">{error}</span>}
    </form>
  );
}

export function FindingRows({ findings, onChange }: { findings: Finding[]; onChange: () => void }) {
  const { me, namespaces } = useSession();
  if (findings.length === 0) {
    return <p className="empty">No open findings.</p>;
  }
  return (
    <table className="findings">
      <Head columns={['Severity', 'Outcome', 'Rule', 'Finding', 'Subject', 'Seen']} />
      <tbody>
        {findings.map((f) => {
          const path = lineagePathOf(f);
          const missing = missingFacts(f);
          const page = pageOf(f.nodeId, namespaces);
          return (
            <tr key={f.id} className={`outcome-${f.outcome.toLowerCase()}`}>
              <td>
                <SeverityBadge severity={f.severity} />
              </td>
              <td>{f.outcome}</td>
              <td className="small">
                <span className="mono">{f.ruleId}</span>
                <div className="muted">{f.regulation}</div>
              </td>
              <td>
                {f.title}
                {missing.length > 0 && (
                  <div className="missing">
                    Missing fact{missing.length > 1 ? 's' : ''}: {missing.map(annotationKeyOf).join(', ')}
                    {can(me, 'annotate') && missing.map((m) => <SupplyFact key={m} finding={f} fact={m} onDone={onChange} />)}
                  </div>
                )}
                {f.remediation && (
                  <details>
                    <summary>Remediation</summary>
                    <p className="small">{f.remediation}</p>
                  </details>
                )}
                <details>
                  <summary>Evidence</summary>
                  <pre className="small">{JSON.stringify(f.evidence, null, 2)}</pre>
                </details>
              </td>
              <td className="small">
                {page ? <Link to={page}>{f.nodeId.replace(/^(dataset|job):/, '')}</Link> : <span className="mono">{f.nodeId}</span>}
                <div>
                  <Link to={lineagePath(path.length > 1 ? (path[path.length - 1] as string) : f.nodeId, path.length > 1 ? { path: JSON.stringify(path) } : {})}>
                    {path.length > 1 ? `evidence path (${path.length} hops)` : 'lineage'}
                  </Link>
                </div>
              </td>
              <td className="small">
                {formatTime(f.firstSeen)}
                <div className="muted">last {formatTime(f.lastSeen)}</div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function FindingsTable({ nodeId }: { nodeId: string }) {
  const findings = useAsync(() => api.findings({ nodeId }), [nodeId]);
  return (
    <>
      <AsyncView state={findings}>{(rows) => <FindingRows findings={rows} onChange={findings.reload} />}</AsyncView>
    </>
  );
}
