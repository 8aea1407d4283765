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
    <table>
      <caption>{caption}</caption>
      <Head columns={[...(showJob ? ['Job'] : []), 'State', 'Started', 'Duration', 'Run']} />
      <tbody>
        {runs.map((run) => {
          const jobPage = run.jobKey ? pageOf(run.jobKey, namespaces) : null;
          const error = run.errorMessage ?? (run.facets?.errorMessage as { message?: string } | undefined)?.message;
          return (
            <tr key={run.id}>
              {showJob && <td>{jobPage ? <Link to={jobPage}>{run.jobKey?.replace(/^job:/, '')}</Link> : run.jobKey}</td>}
              <td>
                <StateBadge state={run.state} />
                {error && <div className="run-error">{error}</div>}
              </td>
              <td>{formatTime(run.startedAt ?? run.createdAt)}</td>
              <td>{formatDuration(run.durationMs)}</td>
              <td className="mono small">{run.id}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
