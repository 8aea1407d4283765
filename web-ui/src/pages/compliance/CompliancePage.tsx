import { useMemo, useState } from 'react';
import { api, type Finding, type ReportFormat } from '../../api';
import { SeverityBadge } from '../../components/Badges';
import { FindingRows } from '../../components/FindingsTable';
import { AsyncView, ErrorBox } from '../../components/Status';
import { FilterSelect } from '../../components/Table';
import { navigate } from '../../router';
import { can, useSession } from '../../session';
import { useAsync } from '../../useAsync';
import { Trend } from './Trend';
import { ProposalsWaiting } from '../review/ReviewPage';

const REGULATIONS = ['GDPR', 'HIPAA', 'SOX', 'PCI-DSS'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const OUTCOMES = ['FAIL', 'UNKNOWN', 'EXCEPTED'];

function Summary({ findings, onPick }: { findings: Finding[]; onPick: (regulation: string, severity: string) => void }) {
  const count = (r: string, s: string) => findings.filter((f) => f.regulation === r && f.severity === s).length;
  return (
    <table className="summary">
      <caption>Open findings by regulation and severity (click a number to list them)</caption>
      <thead>
        <tr>
          <th scope="col">Regulation</th>
          {SEVERITIES.map((s) => (
            <th scope="col" key={s}>
              <SeverityBadge severity={s} />
            </th>
          ))}
          <th scope="col">Unknown</th>
        </tr>
      </thead>
      <tbody>
        {REGULATIONS.map((r) => (
          <tr key={r}>
            <th scope="row">{r}</th>
            {SEVERITIES.map((s) => (
              <td key={s}>
                <button type="button" className="link" onClick={() => onPick(r, s)} aria-label={`${r} ${s}: ${count(r, s)}`}>
                  {count(r, s)}
                </button>
              </td>
            ))}
            <td>{findings.filter((f) => f.regulation === r && f.outcome === 'UNKNOWN').length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Reports() {
  const [status, setStatus] = useState<string | null>(null);
  const [regulation, setRegulation] = useState('ALL');
  const download = async (format: ReportFormat) => {
    setStatus(`Preparing the ${format.toUpperCase()} report…`);
    try {
      const name = await api.report(regulation, format);
      setStatus(`Saved ${name}. Verify it with: java -jar waymark.jar verify ${name} --server <url> --token <auditor token>`);
    } catch (e) {
      setStatus(`Export failed: ${(e as Error).message}`);
    }
  };
  return (
    <div className="reports">
      <h2>Signed audit reports</h2>
      <label>
        Scope{' '}
        <select value={regulation} onChange={(e) => setRegulation(e.target.value)}>
          {['ALL', ...REGULATIONS].map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>{' '}
      {(['pdf', 'csv', 'json'] as const).map((f) => (
        <button key={f} type="button" onClick={() => download(f)}>
          Export {f.toUpperCase()}
        </button>
      ))}
      {status && <p role="status">{status}</p>}
    </div>
  );
}

export function CompliancePage({ params }: { params: URLSearchParams }) {
  const { me } = useSession();
  const regulation = params.get('regulation') ?? '';
  const severity = params.get('severity') ?? '';
  const outcome = params.get('outcome') ?? '';
  const all = useAsync(() => api.findings({}), []);
  const trend = useAsync(() => api.trend(30), []);
  const [evaluating, setEvaluating] = useState<string | null>(null);
  const filtered = useMemo(
    () => (all.data ?? []).filter((f) => (!regulation || f.regulation === regulation) && (!severity || f.severity === severity) && (!outcome || f.outcome === outcome)),
    [all.data, regulation, severity, outcome],
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    navigate(`/compliance?${next.toString()}`, true);
  };
  const evaluate = async () => {
    setEvaluating('Evaluating every rule…');
    try {
      const r = await api.evaluate();
      setEvaluating(`Evaluated in ${r.durationMs} ms: ${r.findings} findings.`);
      all.reload();
      trend.reload();
    } catch (e) {
      setEvaluating(`Evaluation failed: ${(e as Error).message}`);
    }
  };
  return (
    <section>
      <header className="page-head">
        <h1>Compliance</h1>
        <div className="actions">
          {can(me, 'evaluate') && (
            <button type="button" onClick={evaluate}>
              Evaluate now
            </button>
          )}
        </div>
      </header>
      {evaluating && <p role="status">{evaluating}</p>}
      <ProposalsWaiting />
      <AsyncView state={all}>{(rows) => <Summary findings={rows} onPick={(r, s) => navigate(`/compliance?${new URLSearchParams({ regulation: r, severity: s }).toString()}`, true)} />}</AsyncView>
      <h2>Trend (open findings, last 30 days)</h2>
      <ErrorBox error={trend.error} />
      {trend.data && <Trend days={trend.data} />}
      {can(me, 'report') && <Reports />}
      <h2>Findings</h2>
      <div className="filters" role="group" aria-label="Filter findings">
        <FilterSelect label="Regulation" value={regulation} options={REGULATIONS} onChange={(v) => set('regulation', v)} />
        <FilterSelect label="Severity" value={severity} options={SEVERITIES} onChange={(v) => set('severity', v)} />
        <FilterSelect label="Outcome" value={outcome} options={OUTCOMES} onChange={(v) => set('outcome', v)} />
        <span className="small muted">{filtered.length} shown</span>
      </div>
      {all.data && <FindingRows findings={filtered.slice(0, 500)} onChange={all.reload} />}
      {filtered.length > 500 && <p className="hint">The first 500 are listed; narrow the filters or export a report for all of them.</p>}
    </section>
  );
}
