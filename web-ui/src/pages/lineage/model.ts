// The explorer's graph: what the user has opened so far, merged from /api/v1/lineage answers.
// Pure functions over immutable values, so the page can keep history and tests need no DOM.
import type { GraphNode, LineageGraph } from '../../api';

export interface Label {
  field: string | null;
  code: string;
  protection: string;
}

export interface LNode {
  id: string;
  type: 'DATASET' | 'JOB';
  namespace: string;
  name: string;
  /** All neighbours the server knows of, shown or not. */
  upstream: number;
  downstream: number;
  labels: Label[];
  fields: { name: string; type?: string | null }[];
  state: string | null;
}

export interface LEdge {
  from: string;
  to: string;
}

export interface LGraph {
  root: string;
  nodes: ReadonlyMap<string, LNode>;
  edges: ReadonlyMap<string, LEdge>;
  truncated: boolean;
}

export const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

export function empty(root: string): LGraph {
  return { root, nodes: new Map(), edges: new Map(), truncated: false };
}

function toNode(g: GraphNode): LNode {
  const data = g.data as { namespace?: string; name?: string; fields?: { name: string; type?: string | null }[]; latestRun?: { state?: string } | null };
  return {
    id: g.id,
    type: g.type === 'JOB' ? 'JOB' : 'DATASET',
    namespace: data.namespace ?? '',
    name: data.name ?? g.id,
    upstream: g.neighbours?.upstream ?? g.inEdges.length,
    downstream: g.neighbours?.downstream ?? g.outEdges.length,
    labels: (g.classifications ?? []) as Label[],
    fields: Array.isArray(data.fields) ? data.fields : [],
    state: data.latestRun?.state ?? null,
  };
}

/** Adds a server answer to what is shown; a node seen again takes the newer data. */
export function merge(graph: LGraph, answer: LineageGraph): LGraph {
  const nodes = new Map(graph.nodes);
  const edges = new Map(graph.edges);
  for (const g of answer.graph) {
    nodes.set(g.id, toNode(g));
  }
  for (const g of answer.graph) {
    for (const e of [...g.inEdges, ...g.outEdges]) {
      if (nodes.has(e.origin) && nodes.has(e.destination)) {
        edges.set(edgeKey(e.origin, e.destination), { from: e.origin, to: e.destination });
      }
    }
  }
  return { root: graph.root, nodes, edges, truncated: graph.truncated || answer.truncated };
}

export interface SideCounts {
  /** Neighbours the server has that are not on screen, per side. */
  upstream: number;
  downstream: number;
  /** Edges on screen, per side. */
  shownIn: number;
  shownOut: number;
}

/** Per node: hidden neighbours and shown edges on each side, in one pass over the edges. */
export function sideCounts(graph: LGraph): Map<string, SideCounts> {
  const inCount = new Map<string, number>();
  const outCount = new Map<string, number>();
  for (const e of graph.edges.values()) {
    inCount.set(e.to, (inCount.get(e.to) ?? 0) + 1);
    outCount.set(e.from, (outCount.get(e.from) ?? 0) + 1);
  }
  const counts = new Map<string, SideCounts>();
  for (const n of graph.nodes.values()) {
    const shownIn = inCount.get(n.id) ?? 0;
    const shownOut = outCount.get(n.id) ?? 0;
    counts.set(n.id, { upstream: Math.max(0, n.upstream - shownIn), downstream: Math.max(0, n.downstream - shownOut), shownIn, shownOut });
  }
  return counts;
}

/** Neighbours the server has that are not on screen, per side. */
export function hidden(graph: LGraph, id: string): { upstream: number; downstream: number } {
  const c = sideCounts(graph).get(id);
  return { upstream: c?.upstream ?? 0, downstream: c?.downstream ?? 0 };
}

/**
 * Hides one side of a node: its edges on that side go, and so does everything that was only
 * reachable through them. The root and what still connects to it stay.
 */
export function collapse(graph: LGraph, id: string, side: 'upstream' | 'downstream'): LGraph {
  const edges = new Map([...graph.edges].filter(([, e]) => (side === 'upstream' ? e.to !== id : e.from !== id)));
  const adjacent = new Map<string, string[]>();
  for (const e of edges.values()) {
    (adjacent.get(e.from) ?? adjacent.set(e.from, []).get(e.from)!).push(e.to);
    (adjacent.get(e.to) ?? adjacent.set(e.to, []).get(e.to)!).push(e.from);
  }
  const keep = new Set<string>([graph.root]);
  const queue = [graph.root];
  while (queue.length) {
    const at = queue.pop() as string;
    for (const next of adjacent.get(at) ?? []) {
      if (!keep.has(next)) {
        keep.add(next);
        queue.push(next);
      }
    }
  }
  keep.add(id);
  const nodes = new Map([...graph.nodes].filter(([k]) => keep.has(k)));
  const kept = new Map([...edges].filter(([, e]) => keep.has(e.from) && keep.has(e.to)));
  return { root: graph.root, nodes, edges: kept, truncated: graph.truncated };
}

export interface Filters {
  hiddenNamespaces: ReadonlySet<string>;
  showJobs: boolean;
}

/**
 * What is drawn: nodes of hidden namespaces go; without jobs, datasets connect directly where
 * a job linked them (reader and writer of the same job).
 */
export function visible(graph: LGraph, filters: Filters): { nodes: LNode[]; edges: LEdge[] } {
  const shown = (n: LNode) => !filters.hiddenNamespaces.has(n.namespace) && (filters.showJobs || n.type === 'DATASET');
  const nodes = [...graph.nodes.values()].filter(shown);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = new Map<string, LEdge>();
  for (const e of graph.edges.values()) {
    if (ids.has(e.from) && ids.has(e.to)) {
      edges.set(edgeKey(e.from, e.to), e);
    }
  }
  if (!filters.showJobs) {
    const into = new Map<string, string[]>();
    const outOf = new Map<string, string[]>();
    for (const e of graph.edges.values()) {
      (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e.from);
      (outOf.get(e.from) ?? outOf.set(e.from, []).get(e.from)!).push(e.to);
    }
    for (const job of graph.nodes.values()) {
      if (job.type !== 'JOB') {
        continue;
      }
      for (const a of into.get(job.id) ?? []) {
        for (const b of outOf.get(job.id) ?? []) {
          if (ids.has(a) && ids.has(b) && a !== b) {
            edges.set(edgeKey(a, b), { from: a, to: b });
          }
        }
      }
    }
  }
  return { nodes, edges: [...edges.values()] };
}

/** Nodes and edges on any directed path between a and b (either way round). */
export function pathBetween(graph: LGraph, a: string, b: string): { nodes: Set<string>; edges: Set<string> } {
  const out = new Map<string, string[]>();
  const inn = new Map<string, string[]>();
  for (const e of graph.edges.values()) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
    (inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push(e.from);
  }
  const reach = (start: string, next: Map<string, string[]>) => {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length) {
      for (const n of next.get(queue.pop() as string) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    return seen;
  };
  const between = (from: string, to: string) => {
    const down = reach(from, out);
    const up = reach(to, inn);
    return new Set([...down].filter((n) => up.has(n)));
  };
  let nodes = between(a, b);
  if (nodes.size === 0) {
    nodes = between(b, a);
  }
  const edges = new Set<string>();
  for (const [k, e] of graph.edges) {
    if (nodes.has(e.from) && nodes.has(e.to)) {
      edges.add(k);
    }
  }
  return { nodes, edges };
}

/** Every node and edge along a listed path (a finding's evidence), consecutive ids joined. */
export function listedPath(graph: LGraph, ids: readonly string[]): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set(ids.filter((id) => graph.nodes.has(id)));
  const edges = new Set<string>();
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1] as string;
    const b = ids[i] as string;
    let found = false;
    for (const k of [edgeKey(a, b), edgeKey(b, a)]) {
      if (graph.edges.has(k)) {
        edges.add(k);
        found = true;
      }
    }
    if (!found) {
      // A path of datasets only: the job between two of them belongs to it too.
      for (const e of graph.edges.values()) {
        if (e.from === a && graph.edges.has(edgeKey(e.to, b))) {
          nodes.add(e.to);
          edges.add(edgeKey(a, e.to));
          edges.add(edgeKey(e.to, b));
        }
      }
    }
  }
  return { nodes, edges };
}

export function namespacesOf(graph: LGraph): string[] {
  return [...new Set([...graph.nodes.values()].map((n) => n.namespace))].sort();
}
