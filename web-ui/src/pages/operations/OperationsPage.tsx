import { useState } from 'react';
import { api, type AlertChannel } from '../../api';
import { SeverityBadge, StateBadge } from '../../components/Badges';
import { AsyncView, ErrorBox, formatDuration, formatTime } from '../../components/Status';
import { FilterSelect, Head } from '../../components/Table';
import { datasetPath, jobPath } from '../../nodes';
import { Link } from '../../router';
import { can, useSession } from '../../session';
import { useAsync } from '../../useAsync';

const JOB_STATES = ['FAILING', 'STUCK', 'LATE', 'OK'] as const;

/**
 * What needs attention now: open incidents, jobs that are failing, stuck or late, and the
 * freshness board; admins also see the alert channels and can send a test notification.
 */
export function OperationsPage() {
  const { me } = useSession();
  const [jobState, setJobState] = useState('');
  const incidents = useAsync(() => api.incidents({ state: 'OPEN' }), []);
  const acknowledged = useAsync(() => api.incidents({ state: 'ACKNOWLEDGED' }), []);
  const jobs = useAsync(() => api.monitorJobs({ state: jobState || undefined }), [jobState]);
  const freshness = useAsync(() => api.freshness(), []);
  return (
    <section>
      <header className="page-head">
        <h1>Operations</h1>
      </header>
      <h2>Open incidents</h2>
      <AsyncView state={incidents}>
        {(open) => (
          <>
            <p data-testid="open-incidents">
              {open.totalCount === 0 ? 'No open incidents.' : `${open.totalCount} open`}
              {acknowledged.data && acknowledged.data.totalCount > 0 && `, ${acknowledged.data.totalCount} acknowledged`}
            </p>
            {open.incidents.length > 0 && (
              <table className="data">
                <Head columns={['Severity', 'Kind', 'What', 'Opened']} />
                <tbody>
                  {[...open.incidents, ...(acknowledged.data?.incidents ?? [])].map((i) => (
                    <tr key={i.id}>
                      <td><SeverityBadge severity={i.severity} /></td>
                      <td>{i.kind}{i.state === 'ACKNOWLEDGED' && <span className="small"> (acknowledged)</span>}</td>
                      <td><Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link></td>
                      <td>{formatTime(i.openedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </AsyncView>

      <h2>Jobs</h2>
      <FilterSelect label="State" value={jobState} options={JOB_STATES} onChange={setJobState} />
      <AsyncView state={jobs}>
        {(page) => (
          <table className="data" data-testid="job-states">
            <Head columns={['State', 'Job', 'Why', 'p50 / p95', 'Success', 'Last run']} />
            <tbody>
              {page.jobs.map((j) => (
                <tr key={`${j.namespace}/${j.name}`}>
                  <td><span className={`job-state job-state-${j.state.toLowerCase()}`}>{j.state}</span></td>
                  <td><Link to={jobPath(j.namespace, j.name)}>{j.namespace}/{j.name}</Link></td>
                  <td className="small">{j.reason ?? ''}</td>
                  <td>{formatDuration(j.p50DurationMs)} / {formatDuration(j.p95DurationMs)}</td>
                  <td>{j.successRate === null ? '—' : `${Math.round(j.successRate * 100)}%`}</td>
                  <td><StateBadge state={j.latestRun.state} /> {formatTime(j.latestRun.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>

      <h2>Freshness</h2>
      <AsyncView state={freshness}>
        {(board) =>
          board.length === 0 ? (
            <p className="hint">No dataset has a freshnessSla annotation yet (annotate one on its page, e.g. PT1H).</p>
          ) : (
            <table className="data" data-testid="freshness">
              <Head columns={['', 'Dataset', 'SLA', 'Last written', 'Age']} />
              <tbody>
                {board.map((f) => (
                  <tr key={`${f.namespace}/${f.name}`} className={f.stale ? 'stale' : ''}>
                    <td>{f.stale ? <span className="job-state job-state-late">STALE</span> : <span className="job-state job-state-ok">FRESH</span>}</td>
                    <td><Link to={datasetPath(f.namespace, f.name)}>{f.namespace}/{f.name}</Link></td>
                    <td>{f.freshnessSla}</td>
                    <td>{f.lastWrite ? formatTime(f.lastWrite) : 'never'}</td>
                    <td>{f.lagSeconds === null ? '—' : formatDuration(f.lagSeconds * 1000)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </AsyncView>
      {can(me, 'configure') && <Channels />}
    </section>
  );
}

function Channels() {
  const channels = useAsync(() => api.channels(), []);
  const [tested, setTested] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error | undefined>();
  const test = (c: AlertChannel) => {
    setError(undefined);
    api.testChannel(c.name).then((r) => setTested((t) => ({ ...t, [c.name]: r.ok ? 'sent' : `failed: ${r.error}` })), (e: Error) => setError(e));
  };
  return (
    <>
      <h2>Alert channels</h2>
      <ErrorBox error={error} />
      <AsyncView state={channels}>
        {(list) =>
          list.length === 0 ? (
            <p className="hint">No channels yet: add one with POST /api/v1/alerts/channels (webhook, Slack, e-mail, PagerDuty).</p>
          ) : (
            <table className="data">
              <Head columns={['Channel', 'Type', 'Route', '']} />
              <tbody>
                {list.map((c) => (
                  <tr key={c.name}>
                    <td>{c.name}</td>
                    <td>{c.type}</td>
                    <td className="small">{Object.keys(c.route).length === 0 ? 'every incident' : JSON.stringify(c.route)}</td>
                    <td>
                      <button type="button" onClick={() => test(c)}>Send a test</button> <span className="small">{tested[c.name] ?? ''}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </AsyncView>
    </>
  );
}
