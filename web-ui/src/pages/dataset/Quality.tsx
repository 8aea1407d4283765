// Quality assertions and metrics from OpenLineage's dataQualityAssertions and
// dataQualityMetrics facets (inputs carry them; Waymark keeps the latest on the dataset).
import { Head } from '../../components/Table';

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
