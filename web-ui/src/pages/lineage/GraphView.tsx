import { memo, useMemo } from 'react';
import { family, isClear } from '../../components/Badges';
import { Canvas, clip, curve } from './Canvas';
import { layout, type Placed } from './layout';
import { edgeKey, type LEdge, type LNode, type SideCounts } from './model';

const DATASET = { width: 250, height: 46 };
const JOB = { width: 210, height: 34 };
const BADGES = 20;

export interface Highlight {
  nodes: Set<string>;
  edges: Set<string>;
}

interface Props {
  nodes: LNode[];
  edges: LEdge[];
  root: string;
  selected: string | null;
  highlight: Highlight | null;
  overlay: boolean;
  fitKey: string;
  counts: Map<string, SideCounts>;
  onSelect: (id: string) => void;
  onExpand: (id: string, side: 'upstream' | 'downstream') => void;
  onCollapse: (id: string, side: 'upstream' | 'downstream') => void;
}

function familySummary(node: LNode): { family: string; clear: boolean }[] {
  const families = new Map<string, boolean>();
  for (const l of node.labels) {
    const f = family(l.code);
    families.set(f, (families.get(f) ?? false) || isClear(l.protection));
  }
  return [...families.entries()].sort().map(([f, clear]) => ({ family: f, clear }));
}

interface NodeProps {
  node: LNode;
  x: number;
  y: number;
  width: number;
  height: number;
  root: boolean;
  selected: boolean;
  dimmed: boolean;
  overlay: boolean;
  hiddenUp: number;
  hiddenDown: number;
  shownIn: number;
  shownOut: number;
  onSelect: (id: string) => void;
  onExpand: (id: string, side: 'upstream' | 'downstream') => void;
  onCollapse: (id: string, side: 'upstream' | 'downstream') => void;
}

/** One node; memoised so a click elsewhere does not redraw a thousand of them. */
const NodeBox = memo(function NodeBox(p: NodeProps) {
  const { node, x, y, width, height } = p;
  const dataset = node.type === 'DATASET';
  const label = dataset ? node.name : node.name;
  const families = p.overlay && dataset ? familySummary(node) : [];
  const side = (which: 'upstream' | 'downstream') => {
    const hiddenCount = which === 'upstream' ? p.hiddenUp : p.hiddenDown;
    const shown = which === 'upstream' ? p.shownIn : p.shownOut;
    const cx = which === 'upstream' ? x : x + width;
    const cy = y + height / 2;
    if (hiddenCount > 0) {
      return (
        <g className="handle handle-expand" role="button" tabIndex={0}
           aria-label={`Expand ${which} of ${node.name} (${hiddenCount} hidden)`}
           onClick={(e) => { e.stopPropagation(); p.onExpand(node.id, which); }}
           onKeyDown={(e) => { if (e.key === 'Enter') { p.onExpand(node.id, which); } }}>
          <rect x={cx - 15} y={cy - 9} width={30} height={18} rx={9} />
          <text x={cx} y={cy + 4} textAnchor="middle">+{hiddenCount}</text>
        </g>
      );
    }
    if (shown > 0 && !p.root) {
      return (
        <g className="handle handle-collapse" role="button" tabIndex={0}
           aria-label={`Collapse ${which} of ${node.name}`}
           onClick={(e) => { e.stopPropagation(); p.onCollapse(node.id, which); }}
           onKeyDown={(e) => { if (e.key === 'Enter') { p.onCollapse(node.id, which); } }}>
          <rect x={cx - 9} y={cy - 9} width={18} height={18} rx={9} />
          <text x={cx} y={cy + 4} textAnchor="middle">−</text>
        </g>
      );
    }
    return null;
  };
  const classes = ['node', dataset ? 'node-dataset' : 'node-job', p.root ? 'node-root' : '', p.selected ? 'node-selected' : '', p.dimmed ? 'node-dimmed' : '',
    !dataset && node.state ? `node-state-${node.state.toLowerCase()}` : ''].join(' ');
  return (
    <g className={classes} data-node={node.id} data-testid="lineage-node" aria-label={`${dataset ? 'dataset' : 'job'} ${node.name}`}
       onClick={() => p.onSelect(node.id)} role="button" tabIndex={0} onKeyDown={(e) => { if (e.key === 'Enter') { p.onSelect(node.id); } }}>
      <title>{`${node.namespace}\n${node.name}`}</title>
      <rect x={x} y={y} width={width} height={height} rx={dataset ? 4 : 17} />
      <text x={x + 12} y={y + (dataset ? 19 : 21)} className="node-name">{clip(label, dataset ? 34 : 30)}</text>
      {dataset && <text x={x + 12} y={y + 36} className="node-ns">{clip(node.namespace, 40)}</text>}
      {families.map((f, i) => (
        <g key={f.family} className={`graph-badge badge-${f.family.toLowerCase()} ${f.clear ? 'badge-clear' : 'badge-protected'}`} data-testid="classification-badge">
          <rect x={x + 10 + i * 84} y={y + height - BADGES + 2} width={80} height={15} rx={3} />
          <text x={x + 50 + i * 84} y={y + height - BADGES + 13} textAnchor="middle">{`${f.family} ${f.clear ? 'clear' : 'protected'}`}</text>
        </g>
      ))}
      {side('upstream')}
      {side('downstream')}
    </g>
  );
});

/** All edges at once, memoised: selecting a node must not redraw fifteen hundred curves. */
const Edges = memo(function Edges({ edges, positions, highlight }: { edges: LEdge[]; positions: Map<string, Placed>; highlight: Highlight | null }) {
  return (
    <g className="edges">
      {edges.map((e) => {
        const a = positions.get(e.from);
        const b = positions.get(e.to);
        if (!a || !b) {
          return null;
        }
        const k = edgeKey(e.from, e.to);
        const lit = highlight?.edges.has(k) ?? false;
        return (
          <path key={k} d={curve(a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2)}
                className={`edge${lit ? ' edge-lit' : ''}${highlight && !lit ? ' edge-dimmed' : ''}`} markerEnd="url(#arrow)" />
        );
      })}
    </g>
  );
});

export function GraphView(p: Props) {
  const sized = useMemo(
    () => p.nodes.map((n) => {
      const base = n.type === 'DATASET' ? DATASET : JOB;
      const badges = p.overlay && n.type === 'DATASET' && n.labels.length > 0 ? BADGES : 0;
      return { id: n.id, width: base.width, height: base.height + badges };
    }),
    [p.nodes, p.overlay],
  );
  const placed = useMemo(() => layout(sized, p.edges), [sized, p.edges]);
  return (
    <Canvas width={placed.width} height={placed.height} label="Lineage graph" fitKey={p.fitKey}>
      <Edges edges={p.edges} positions={placed.positions} highlight={p.highlight} />
      <g className="nodes">
        {p.nodes.map((n) => {
          const at = placed.positions.get(n.id);
          const c = p.counts.get(n.id);
          if (!at) {
            return null;
          }
          return (
            <NodeBox key={n.id} node={n} x={at.x} y={at.y} width={at.width} height={at.height}
                     root={n.id === p.root} selected={n.id === p.selected} dimmed={p.highlight !== null && !p.highlight.nodes.has(n.id)}
                     overlay={p.overlay} hiddenUp={c ? c.upstream : 0} hiddenDown={c ? c.downstream : 0}
                     shownIn={c ? c.shownIn : 0} shownOut={c ? c.shownOut : 0}
                     onSelect={p.onSelect} onExpand={p.onExpand} onCollapse={p.onCollapse} />
          );
        })}
      </g>
    </Canvas>
  );
}
