// A small bar chart, oldest left, newest right, drawn as SVG: run durations on a job's page,
// row counts on a dataset's. Each bar carries its own title for the exact value.
export interface Bar {
  key: string;
  value: number;
  label: string;
  tone?: 'ok' | 'bad' | 'warn';
}

export function Bars({ bars, caption, unit }: { bars: Bar[]; caption: string; unit: (v: number) => string }) {
  if (bars.length === 0) {
    return <p className="empty">Nothing to chart yet.</p>;
  }
  const width = 640;
  const height = 120;
  const pad = 28;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = (width - 2 * pad) / bars.length;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${caption}; latest ${unit(bars[bars.length - 1]?.value ?? 0)}`}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
        <text x={pad - 4} y={14} textAnchor="end" className="axis-label">{unit(max)}</text>
        {bars.map((b, i) => {
          const h = ((height - pad - 10) * b.value) / max;
          return (
            <rect key={b.key} x={pad + i * step + 1} y={height - pad - h} width={Math.max(1, step - 2)} height={h} className={`bar bar-${b.tone ?? 'ok'}`}>
              <title>{`${b.label}: ${unit(b.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="small">{caption}</figcaption>
    </figure>
  );
}
