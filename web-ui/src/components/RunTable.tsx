import type { Run } from '../api';
import { Link } from '../router';
import { pageOf } from '../nodes';
import { useSession } from '../session';
import { StateBadge } from './Badges';
import { Head } from './Table';
import { formatDuration, formatTime } from './Status';

/** Runs with state and duration; the job column links to the job when the runs span jobs. */
export function RunTable({ runs, showJob, caption }: { runs: Run[]; showJob: boolean; caption: string }) {
  const { namespaces } = useSession();
  if (runs.length === 0) {
    return <p className="empty">No runs.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="runs">
        <caption>{caption}</caption>
        <Head columns={[...(showJob ? ['Job'] : []), 'State', 'Started', 'Duration', 'Run']} />
        <tbody>
          {runs.map((run) => {
            const jobPage = run.jobKey ? pageOf(run.jobKey, namespaces) : null;
            const error = run.errorMessage ?? (run.facets?.errorMessage as { message?: string } | undefined)?.message;
            return (
              <tr key={run.id}>
                {showJob && (
                  <td className="run-job">
                    {jobPage ? <Link to={jobPage}>{run.jobKey?.replace(/^job:/, '')}</Link> : run.jobKey}
                    {error && <div className="run-error" title={error}>{error}</div>}
                  </td>
                )}
                <td>
                  <StateBadge state={run.state} />
                  {!showJob && error && <div className="run-error" title={error}>{error}</div>}
                </td>
                <td className="nowrap">{formatTime(run.startedAt ?? run.createdAt)}</td>
                <td className="nowrap">{formatDuration(run.durationMs)}</td>
                {/* The first block of the id tells runs apart at a glance; the whole id is its title. */}
                <td className="mono small nowrap" title={run.id}>{run.id.slice(0, 8)}…</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
