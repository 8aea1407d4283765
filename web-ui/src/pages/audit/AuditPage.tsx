import { useState, type FormEvent } from 'react';
import { Head } from '../../components/Table';
import { api } from '../../api';
import { AsyncView, ErrorBox, formatTime } from '../../components/Status';
import { useAsync } from '../../useAsync';

export function AuditPage() {
  const [filters, setFilters] = useState<{ actor?: string; action?: string; since?: string }>({});
  const [draft, setDraft] = useState({ actor: '', action: '', since: '' });
  const entries = useAsync(() => api.auditLog({ ...filters, limit: 200 }), [filters]);
  const verification = useAsync(() => api.auditVerification(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ actor: draft.actor || undefined, action: draft.action || undefined, since: draft.since ? `${draft.since}:00Z` : undefined });
  };
  const v = verification.data;
  return (
    <section>
      <h1>Audit log</h1>
      <ErrorBox error={verification.error} />
      {v && (
        <p role="status" className={v.valid ? 'ok' : 'bad'}>
          {v.valid ? `Hash chain intact: ${v.entries} entries, head ${v.head?.slice(0, 16) ?? '—'}…` : `Hash chain broken at entry ${v.brokenAt ?? '?'}`}
        </p>
      )}
      <form onSubmit={submit} className="filters" aria-label="Filter the audit log">
        <label>
          Actor <input value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        </label>
        <label>
          Action <input value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} placeholder="e.g. annotation or report.export" />
        </label>
        <label>
          Since (UTC) <input type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <AsyncView state={entries}>
        {(rows) => (
          <table className="audit">
            <Head columns={['#', 'When', 'Who', 'Action', 'Target', 'Detail']} />
            <tbody>
              {rows.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td className="small">{formatTime(e.at)}</td>
                  <td>
                    {e.actor} <span className="small muted">{e.role ?? ''}</span>
                  </td>
                  <td className="mono small">{e.action}</td>
                  <td className="mono small break">{e.target ?? ''}</td>
                  <td className="mono small break">{e.detail === undefined ? '' : JSON.stringify(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}
