import { useMemo } from 'react';
import { ClassificationBadge } from '../../components/Badges';
import { Canvas, clip, curve } from './Canvas';
import { edgeText, type ColumnModel } from './columns';
import { layout } from './layout';

const WIDTH = 300;
const HEAD = 40;
const ROW = 24;
const MAX_ROWS = 60;

export function ColumnView({ model, traced, overlay, fitKey, onTrace }: {
  model: ColumnModel;
  traced: string | null;
  overlay: boolean;
  fitKey: string;
  onTrace: (fieldKey: string) => void;
}) {
  const placed = useMemo(
    () => layout(model.boxes.map((b) => ({ id: b.id, width: WIDTH, height: HEAD + Math.max(1, Math.min(MAX_ROWS, b.rows.length)) * ROW + (b.rows.length > MAX_ROWS ? ROW : 6) })), model.datasetEdges, 150),
    [model],
  );
  // Where each field row sits, for drawing field-to-field edges.
  const rowAt = useMemo(() => {
    const at = new Map<string, { x: number; y: number }>();
    for (const b of model.boxes) {
      const p = placed.positions.get(b.id);
      b.rows.slice(0, MAX_ROWS).forEach((r, i) => p && at.set(r.key, { x: p.x, y: p.y + HEAD + i * ROW + ROW / 2 }));
    }
    return at;
  }, [model, placed]);
  const litFields = useMemo(() => new Set(model.fieldEdges.flatMap((e) => [e.from, e.to])), [model]);
  return (
    <Canvas width={placed.width} height={placed.height} label="Column lineage" fitKey={fitKey}>
      <g className="edges">
        {model.datasetEdges.map((e) => {
          const a = placed.positions.get(e.from);
          const b = placed.positions.get(e.to);
          return a && b && model.fieldEdges.length === 0 ? (
            <path key={`${e.from}>${e.to}`} className="edge" d={curve(a.x + a.width, a.y + HEAD / 2, b.x, b.y + HEAD / 2)} markerEnd="url(#arrow)" />
          ) : null;
        })}
        {model.fieldEdges.map((e) => {
          const a = rowAt.get(e.from);
          const b = rowAt.get(e.to);
          if (!a || !b) {
            return null;
          }
          const x1 = a.x + WIDTH;
          return (
            <g key={`${e.from}>${e.to}`} className={`field-edge field-edge-${e.kind.toLowerCase()}${e.masking ? ' field-edge-masked' : ''}`} data-testid="field-edge">
              <path d={curve(x1, a.y, b.x, b.y)} markerEnd="url(#arrow)" />
              <text x={(x1 + b.x) / 2} y={(a.y + b.y) / 2 - 4} textAnchor="middle">{edgeText(e)}</text>
            </g>
          );
        })}
      </g>
      {model.boxes.map((b) => {
        const p = placed.positions.get(b.id);
        if (!p) {
          return null;
        }
        return (
          <g key={b.id} className="column-box" data-node={b.id}>
            <title>{`${b.namespace}\n${b.name}`}</title>
            <rect x={p.x} y={p.y} width={p.width} height={p.height} rx={4} />
            <text x={p.x + 10} y={p.y + 17} className="node-name">{clip(b.name, 40)}</text>
            <text x={p.x + 10} y={p.y + 32} className="node-ns">{clip(b.namespace, 46)}</text>
            {b.rows.length === 0 && <text x={p.x + 10} y={p.y + HEAD + 16} className="node-ns">no schema reported</text>}
            {b.rows.slice(0, MAX_ROWS).map((r, i) => {
              const y = p.y + HEAD + i * ROW;
              const cls = ['field-row', r.key === traced ? 'field-traced' : '', litFields.has(r.key) ? 'field-lit' : ''].join(' ');
              return (
                <g key={r.key} className={cls} role="button" tabIndex={0} data-testid="field-row" aria-label={`Trace ${b.name}.${r.field}`}
                   onClick={() => onTrace(r.key)} onKeyDown={(e) => { if (e.key === 'Enter') { onTrace(r.key); } }}>
                  <rect x={p.x + 2} y={y} width={WIDTH - 4} height={ROW - 2} rx={2} />
                  <text x={p.x + 10} y={y + 15} className="field-name">{clip(r.field, overlay && r.labels.length ? 18 : 34)}</text>
                  {r.type && !(overlay && r.labels.length) && <text x={p.x + WIDTH - 10} y={y + 15} textAnchor="end" className="field-type">{clip(r.type, 12)}</text>}
                  {overlay && r.labels.length > 0 && (
                    <foreignObject x={p.x + 130} y={y + 1} width={WIDTH - 134} height={ROW - 4}>
                      <div className="row-badges">
                        {r.labels.slice(0, 2).map((l) => (
                          <ClassificationBadge key={l.code} code={l.code} protection={l.protection} />
                        ))}
                      </div>
                    </foreignObject>
                  )}
                </g>
              );
            })}
            {b.rows.length > MAX_ROWS && <text x={p.x + 10} y={p.y + p.height - 2} className="node-ns">{`+${b.rows.length - MAX_ROWS} more fields`}</text>}
          </g>
        );
      })}
    </Canvas>
  );
}
