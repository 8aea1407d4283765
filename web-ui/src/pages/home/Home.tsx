import { api } from '../../api';
import { RunTable } from '../../components/RunTable';
import { ErrorBox, Loading } from '../../components/Status';
import { useAsync } from '../../useAsync';

export function Home() {
  const recent = useAsync(() => api.recentRuns(undefined, 15), []);
  const failed = useAsync(() => api.recentRuns('FAILED', 10), []);
  return (
    <section>
      <h1>Overview</h1>
      <div className="columns">
        <div>
          <h2>Recent failures</h2>
          <Loading when={failed.loading && !failed.data} />
          <ErrorBox error={failed.error} />
          {failed.data && <RunTable runs={failed.data} showJob caption="The latest failed runs" />}
        </div>
        <div>
          <h2>Recent runs</h2>
          <Loading when={recent.loading && !recent.data} />
          <ErrorBox error={recent.error} />
          {recent.data && <RunTable runs={recent.data} showJob caption="The latest runs of every job" />}
        </div>
      </div>
    </section>
  );
}
