// A small line chart of open findings per day, one line per regulation, drawn as SVG.
const COLOURS: Record<string, string> = { GDPR: '#1f77b4', HIPAA: '#2ca02c', SOX: '#9467bd', 'PCI-DSS': '#d62728' };

export function Trend({ days }: { days: { date: string; open: number; byRegulation: Record<string, number> }[] }) {
  const width = 640;
  const height = 160;
  const pad = 30;
  const max = Math.max(1, ...days.map((d) => d.open));
  const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(1, days.length - 1);
  const y = (v: number) => height - pad + 10 - (v * (height - pad - 10)) / max;
  const line = (value: (d: (typeof days)[number]) => number) => days.map((d, i) => `${i === 0 ? 'M' : 'L'} ${x(i).toFixed(1)} ${y(value(d)).toFixed(1)}`).join(' ');
  const last = days[days.length - 1];
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Open findings per day; today ${last?.open ?? 0}`}>
        <line x1={pad} y1={y(0)} x2={width - pad} y2={y(0)} className="axis" />
        <text x={pad - 4} y={y(max) + 4} textAnchor="end" className="axis-label">{max}</text>
        <text x={pad - 4} y={y(0) + 4} textAnchor="end" className="axis-label">0</text>
        <text x={pad} y={height - 2} className="axis-label">{days[0]?.date}</text>
        <text x={width - pad} y={height - 2} textAnchor="end" className="axis-label">{last?.date}</text>
        <path d={line((d) => d.open)} className="trend-total" />
        {Object.keys(COLOURS).map((r) => (
          <path key={r} d={line((d) => d.byRegulation[r] ?? 0)} stroke={COLOURS[r]} className="trend-line" />
        ))}
      </svg>
      <figcaption className="small">
        <strong>total {last?.open ?? 0}</strong>
        {Object.entries(COLOURS).map(([r, c]) => (
          <span key={r} className="legend">
            <svg className="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill={c} /></svg> {r} {last?.byRegulation[r] ?? 0}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
