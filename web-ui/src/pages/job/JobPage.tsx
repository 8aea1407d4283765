import { api, type DatasetRef } from '../../api';
import { Annotations } from '../../components/Annotations';
import { Facets, PageHead } from '../../components/PageHead';
import { FindingsTable } from '../../components/FindingsTable';
import { RunTable } from '../../components/RunTable';
import { AsyncView, formatDuration, formatTime } from '../../components/Status';
import { Bars } from '../../components/Bars';
import { datasetPath, jobId, lineagePath } from '../../nodes';
import { Link } from '../../router';
import { useAsync } from '../../useAsync';

function Datasets({ list }: { list: DatasetRef[] }) {
  if (list.length === 0) {
    return <p className="empty">None.</p>;
  }
  return (
    <ul>
      {list.map((d) => (
        <li key={`${d.namespace}:${d.name}`}>
          <Link to={datasetPath(d.namespace, d.name)}>{d.name}</Link> <span className="mono small muted">{d.namespace}</span>
        </li>
      ))}
    </ul>
  );
}

/** Where the job's code lives: the sourceCodeLocation facet, else the job's location. */
function sourceLocation(facets: Record<string, unknown> | undefined, location: string | null | undefined): { url: string; detail: string } | null {
  const scl = facets?.sourceCodeLocation as { url?: string; repoUrl?: string; path?: string; version?: string; branch?: string } | undefined;
  const url = scl?.url ?? scl?.repoUrl ?? location ?? null;
  if (!url) {
    return null;
  }
  const detail = [scl?.path, scl?.branch && `branch ${scl.branch}`, scl?.version && `version ${scl.version}`].filter(Boolean).join(' · ');
  return { url, detail };
}

export function JobPage({ namespace, name }: { namespace: string; name: string }) {
  const job = useAsync(() => api.job(namespace, name), [namespace, name]);
  const runs = useAsync(() => api.jobRuns(namespace, name), [namespace, name]);
  // The monitor's view: 404 for a job without runs, which simply shows no health.
  const health = useAsync(() => api.monitorJob(namespace, name).catch(() => null), [namespace, name]);
  const j = job.data;
  const source = j ? sourceLocation(j.facets, j.location) : null;
  const sql = (j?.facets?.sql as { query?: string } | undefined)?.query;
  return (
    <section>
      <AsyncView state={job}>
        {(j) => (
          <>
            <PageHead kind="job" name={j.name} namespace={j.namespace} description={j.description}
                      summary={<>{j.type ?? 'JOB'} · latest run {j.latestRun ? `${j.latestRun.state} at ${formatTime(j.latestRun.createdAt)}` : 'none'}</>}
                      actions={<Link className="button" to={lineagePath(jobId(j.namespace, j.name))}>Open lineage</Link>} />
            <h2>Source code</h2>
            {source ? (
              <p>
                {/^https?:\/\//.test(source.url) ? (
                  <a href={source.url} rel="noreferrer noopener" target="_blank">
                    {source.url}
                  </a>
                ) : (
                  <span className="mono">{source.url}</span>
                )}
                {source.detail && <span className="small muted"> {source.detail}</span>}
              </p>
            ) : (
              <p className="empty">No source code location reported.</p>
            )}
            {sql && (
              <details>
                <summary>SQL</summary>
                <pre>{sql}</pre>
              </details>
            )}
            <div className="columns">
              <div>
                <h2>Inputs</h2>
                <Datasets list={j.inputs} />
              </div>
              <div>
                <h2>Outputs</h2>
                <Datasets list={j.outputs} />
              </div>
            </div>
            <h2>Health</h2>
            {health.data ? (
              <>
                <p data-testid="job-health">
                  <span className={`job-state job-state-${health.data.state.toLowerCase()}`}>{health.data.state}</span> {health.data.reason ?? ''}
                  <span className="small muted">
                    {' '}p50 {formatDuration(health.data.p50DurationMs)} · p95 {formatDuration(health.data.p95DurationMs)}
                    {health.data.successRate !== null && ` · ${Math.round(health.data.successRate * 100)}% succeeded`}
                    {health.data.cadenceMs !== null && ` · usually every ${formatDuration(health.data.cadenceMs)}`}
                    {health.data.expectedBy && ` · next run expected by ${formatTime(health.data.expectedBy)}`}
                  </span>
                </p>
                <Bars caption="Run durations, oldest to newest (red: failed)" unit={(v) => formatDuration(v)}
                      bars={[...(health.data.runs ?? [])].reverse().filter((r) => r.durationMs !== null)
                        .map((r) => ({ key: r.id, value: r.durationMs as number, label: `${r.state} ${formatTime(r.startedAt)}`, tone: r.state === 'FAILED' ? 'bad' : 'ok' }))} />
              </>
            ) : (
              <p className="empty">No runs to judge yet.</p>
            )}
            <h2>Runs</h2>
            <AsyncView state={runs}>{(page) => <RunTable runs={page.runs} showJob={false} caption={`${page.totalCount} runs, newest first`} />}</AsyncView>
            <h2>Annotations</h2>
            <Annotations kind="jobs" namespace={j.namespace} name={j.name} />
            <h2>Findings</h2>
            <FindingsTable nodeId={jobId(j.namespace, j.name)} />
            <h2>Facets</h2>
            <Facets facets={j.facets ?? {}} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
