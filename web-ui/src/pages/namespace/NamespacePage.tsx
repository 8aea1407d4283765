import { api } from '../../api';
import { AsyncView, formatTime } from '../../components/Status';
import { Head } from '../../components/Table';
import { datasetPath, jobPath } from '../../nodes';
import { Link } from '../../router';
import { useAsync } from '../../useAsync';

export function NamespacePage({ namespace }: { namespace: string }) {
  const datasets = useAsync(() => api.namespaceDatasets(namespace), [namespace]);
  const jobs = useAsync(() => api.namespaceJobs(namespace), [namespace]);
  return (
    <section>
      <span className="kind">namespace</span>
      <h1 className="mono">{namespace}</h1>
      <div className="columns">
        <div>
          <h2>Datasets{datasets.data ? ` (${datasets.data.totalCount ?? datasets.data.datasets.length})` : ''}</h2>
          <AsyncView state={datasets}>
            {(page) => (
              <table>
                <Head columns={['Name', 'Fields', 'Updated']} />
                <tbody>
                  {page.datasets.map((d) => (
                    <tr key={d.name}>
                      <td>
                        <Link to={datasetPath(namespace, d.name)}>{d.name}</Link>
                      </td>
                      <td>{d.fields.length}</td>
                      <td className="small">{formatTime(d.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </AsyncView>
        </div>
        <div>
          <h2>Jobs{jobs.data ? ` (${jobs.data.totalCount ?? jobs.data.jobs.length})` : ''}</h2>
          <AsyncView state={jobs}>
            {(page) => (
              <table>
                <Head columns={['Name', 'Latest run']} />
                <tbody>
                  {page.jobs.map((j) => (
                    <tr key={j.name}>
                      <td>
                        <Link to={jobPath(namespace, j.name)}>{j.name}</Link>
                      </td>
                      <td className="small">{j.latestRun ? `${j.latestRun.state} ${formatTime(j.latestRun.createdAt)}` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </AsyncView>
        </div>
      </div>
    </section>
  );
}
