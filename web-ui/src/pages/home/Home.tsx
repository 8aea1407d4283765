import { api } from '../../api';
import { RunTable } from '../../components/RunTable';
import { AsyncView } from '../../components/Status';
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
          <AsyncView state={failed}>{(runs) => <RunTable runs={runs} showJob caption="The latest failed runs" />}</AsyncView>
        </div>
        <div>
          <h2>Recent runs</h2>
          <AsyncView state={recent}>{(runs) => <RunTable runs={runs} showJob caption="The latest runs of every job" />}</AsyncView>
        </div>
      </div>
    </section>
  );
}
