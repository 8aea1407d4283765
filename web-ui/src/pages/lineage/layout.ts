// Layered left-to-right layout (dagre's Sugiyama implementation): sources on the left, data
// flowing right, crossings reduced. Sizes come from the caller so column mode can grow boxes.
import dagre from '@dagrejs/dagre';
import { layered } from './layered';

/** Up to this many nodes dagre's placement (fewer crossings, straighter edges) is worth its time. */
export const DAGRE_LIMIT = 200;

export interface Box {
  id: string;
  width: number;
  height: number;
}

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  positions: Map<string, Placed>;
  width: number;
  height: number;
}

export function layout(boxes: readonly Box[], edges: readonly { from: string; to: string }[], rankGap = 70): Layout {
  // Measured so the benchmark (e2e/bench.mjs) can say how much of the drawing time is layout.
  const started = performance.now();
  if (boxes.length > DAGRE_LIMIT) {
    const result = layered(boxes, edges, rankGap, 16);
    performance.measure('waymark:layout', { start: started, end: performance.now() });
    return result;
  }
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: rankGap, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) {
    g.setNode(b.id, { width: b.width, height: b.height });
  }
  for (const e of edges) {
    if (e.from !== e.to && g.hasNode(e.from) && g.hasNode(e.to)) {
      g.setEdge(e.from, e.to);
    }
  }
  dagre.layout(g);
  const positions = new Map<string, Placed>();
  for (const b of boxes) {
    const n = g.node(b.id) as { x: number; y: number };
    // dagre gives centres; the canvas draws from the top-left corner.
    positions.set(b.id, { x: n.x - b.width / 2, y: n.y - b.height / 2, width: b.width, height: b.height });
  }
  const graph = g.graph() as { width?: number; height?: number };
  performance.measure('waymark:layout', { start: started, end: performance.now() });
  return { positions, width: graph.width ?? 0, height: graph.height ?? 0 };
}
