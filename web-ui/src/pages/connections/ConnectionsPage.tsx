import { useState, type FormEvent } from 'react';
import { api, type Connection, type Scan } from '../../api';
import { AsyncView, ErrorBox, formatTime } from '../../components/Status';
import { Head } from '../../components/Table';
import { namespacePath } from '../../nodes';
import { Link } from '../../router';
import { useAsync } from '../../useAsync';

/**
 * Discovery connections (admin): register a database, test it, scan it and watch the scan's
 * progress and the schema changes it found. A password typed here is sent once and stored
 * encrypted by the server; it never comes back.
 */
export function ConnectionsPage() {
  const [version, setVersion] = useState(0);
  const list = useAsync(() => api.connections(), [version]);
  const [error, setError] = useState<Error | undefined>();
  const [results, setResults] = useState<Record<string, string>>({});
  const [scans, setScans] = useState<Record<string, Scan>>({});

  const test = (c: Connection) => {
    setError(undefined);
    api.testConnection(c.name).then(
      (r) => setResults((x) => ({ ...x, [c.name]: r.ok ? `connected: ${r.product ?? ''}` : `failed: ${r.error ?? ''}` })),
      (e: Error) => setError(e),
    );
  };
  const scan = async (c: Connection) => {
    setError(undefined);
    try {
      const { id } = await api.startScan(c.name);
      let state = await api.scan(c.name, id);
      setScans((x) => ({ ...x, [c.name]: state }));
      while (state.state === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        state = await api.scan(c.name, id);
        setScans((x) => ({ ...x, [c.name]: state }));
      }
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section>
      <header className="page-head">
        <h1>Database connections</h1>
      </header>
      <ErrorBox error={error} />
      <AsyncView state={list}>
        {(connections) =>
          connections.length === 0 ? (
            <p className="empty">No connections yet.</p>
          ) : (
            <table className="data" data-testid="connections">
              <Head columns={['Name', 'Database', 'Last scan', '']} />
              <tbody>
                {connections.map((c) => {
                  const s = scans[c.name] ?? c.lastScan ?? null;
                  return (
                    <tr key={c.name}>
                      <td>{c.name}</td>
                      <td className="mono small">
                        {c.jdbcUrl}
                        <br />
                        <Link to={namespacePath(c.namespace)}>{c.namespace}</Link>
                      </td>
                      <td data-testid={`scan-${c.name}`}>
                        {s ? (
                          <>
                            {s.state} {s.state === 'RUNNING' ? `${Math.round(s.progress * 100)}%` : formatTime(s.finishedAt)} · {s.tables} tables, {s.columns} columns
                            {s.error && <div className="bad small">{s.error}</div>}
                            {(s.changes ?? []).length > 0 && (
                              <ul className="small">
                                {(s.changes ?? []).map((ch, i) => (
                                  <li key={i}>{ch.change} {ch.dataset}{ch.column ? `.${ch.column}` : ''}{ch.type ? ` (${ch.type})` : ''}</li>
                                ))}
                              </ul>
                            )}
                          </>
                        ) : (
                          'never scanned'
                        )}
                      </td>
                      <td>
                        <button type="button" onClick={() => test(c)}>Test</button>{' '}
                        <button type="button" onClick={() => void scan(c)}>Scan now</button>
                        <div className="small">{results[c.name] ?? ''}</div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </AsyncView>
      <NewConnection onCreated={() => setVersion((v) => v + 1)} />
    </section>
  );
}

function NewConnection({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', jdbcUrl: '', user: '', password: '', passwordEnv: '', include: '', sampleSize: '100', schedule: '' });
  const [error, setError] = useState<Error | undefined>();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body: Record<string, unknown> = { name: form.name, jdbcUrl: form.jdbcUrl, sampleSize: Number(form.sampleSize) };
    if (form.user) body.user = form.user;
    if (form.password) body.password = form.password;
    if (form.passwordEnv) body.passwordEnv = form.passwordEnv;
    if (form.include) body.include = form.include.split(',').map((s) => s.trim()).filter(Boolean);
    if (form.schedule) body.schedule = form.schedule;
    api.createConnection(body).then(() => {
      setForm((f) => ({ ...f, name: '', password: '' }));
      onCreated();
    }, (err: Error) => setError(err));
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="New connection">
      <h2>Register a database</h2>
      <label>Name <input value={form.name} onChange={set('name')} required /></label>
      <label>JDBC URL <input value={form.jdbcUrl} onChange={set('jdbcUrl')} placeholder="jdbc:postgresql://host:5432/db" required size={48} /></label>
      <label>User <input value={form.user} onChange={set('user')} /></label>
      <label>Password <input type="password" value={form.password} onChange={set('password')} autoComplete="new-password" /></label>
      <label>or password from the server's environment variable <input value={form.passwordEnv} onChange={set('passwordEnv')} placeholder="SHOP_DB_PASSWORD" /></label>
      <label>Include <input value={form.include} onChange={set('include')} placeholder="crm.*, sales.orders" /></label>
      <label>Values sampled per column <input type="number" min={0} max={1000} value={form.sampleSize} onChange={set('sampleSize')} /></label>
      <label>Rescan every <input value={form.schedule} onChange={set('schedule')} placeholder="PT6H" /></label>
      <ErrorBox error={error} />
      <button type="submit">Register</button>
    </form>
  );
}
