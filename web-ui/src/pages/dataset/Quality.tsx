// Quality assertions and metrics from OpenLineage's dataQualityAssertions and
// dataQualityMetrics facets (inputs carry them; Waymark keeps the latest on the dataset).
import { api } from '../../api';
import { Bars } from '../../components/Bars';
import { formatDuration, formatTime } from '../../components/Status';
import { Head } from '../../components/Table';
import { useAsync } from '../../useAsync';

interface Assertion {
  assertion?: string;
  success?: boolean;
  column?: string;
}

export function Quality({ facets }: { facets: Record<string, unknown> }) {
  const assertions = ((facets.dataQualityAssertions as { assertions?: Assertion[] } | undefined)?.assertions ?? []) as Assertion[];
  const metrics = facets.dataQualityMetrics as { rowCount?: number; bytes?: number; columnMetrics?: Record<string, Record<string, unknown>> } | undefined;
  if (assertions.length === 0 && !metrics) {
    return <p className="empty">No quality assertions or metrics reported.</p>;
  }
  return (
    <>
      {assertions.length > 0 && (
        <table>
          <caption>Assertions</caption>
          <Head columns={['Assertion', 'Column', 'Result']} />
          <tbody>
            {assertions.map((a, i) => (
              <tr key={i}>
                <td>{a.assertion ?? '—'}</td>
                <td className="mono">{a.column ?? '(dataset)'}</td>
                <td className={a.success ? 'ok' : 'bad'}>{a.success ? 'passed' : 'failed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {metrics && (
        <table>
          <caption>
            Metrics{metrics.rowCount !== undefined ? ` — ${metrics.rowCount} rows` : ''}
            {metrics.bytes !== undefined ? `, ${metrics.bytes} bytes` : ''}
          </caption>
          <Head columns={['Column', 'Metrics']} />
          <tbody>
            {Object.entries(metrics.columnMetrics ?? {}).map(([column, m]) => (
              <tr key={column}>
                <td className="mono">{column}</td>
                <td className="small">
                  {Object.entries(m)
                    .filter(([, v]) => typeof v !== 'object')
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The monitor's view of a dataset: freshness against its SLA, and the row counts its reads reported. */
export function Health({ namespace, name }: { namespace: string; name: string }) {
  // Health is extra: when it cannot be read the rest of the page stands.
  const health = useAsync(() => api.datasetHealth(namespace, name).catch(() => null), [namespace, name]);
  const h = health.data;
  if (!h) {
    return null;
  }
  const counted = [...(h.quality ?? [])].reverse().filter((q) => q.rowCount !== null);
  return (
    <>
      {h.freshness && (
        <p data-testid="freshness-state">
          <span className={`job-state job-state-${h.freshness.stale ? 'late' : 'ok'}`}>{h.freshness.stale ? 'STALE' : 'FRESH'}</span> last written{' '}
          {h.freshness.lastWrite ? `${formatTime(h.freshness.lastWrite)} (${formatDuration((h.freshness.lagSeconds ?? 0) * 1000)} ago)` : 'never'}, SLA {h.freshness.freshnessSla}
        </p>
      )}
      {counted.length > 0 && (
        <Bars caption="Row counts per read, oldest to newest (red: assertions failed)" unit={(v) => v.toLocaleString()}
              bars={counted.map((q) => ({ key: q.run + (q.at ?? ''), value: q.rowCount as number, label: formatTime(q.at), tone: q.failed.length > 0 ? 'bad' : 'ok' }))} />
      )}
    </>
  );
}
