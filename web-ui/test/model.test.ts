import { describe, expect, it } from 'vitest';
import type { GraphNode, LineageGraph } from '../src/api';
import { collapse, edgeKey, empty, hidden, listedPath, merge, pathBetween, visible } from '../src/pages/lineage/model';

function node(id: string, type: 'DATASET' | 'JOB', inn: string[], out: string[], up = inn.length, down = out.length): GraphNode {
  const name = id.split(':').pop() as string;
  return {
    id, type, data: { namespace: 'ns', name },
    inEdges: inn.map((o) => ({ origin: o, destination: id })),
    outEdges: out.map((d) => ({ origin: id, destination: d })),
    neighbours: { upstream: up, downstream: down },
    classifications: [],
  };
}

// a -> j1 -> b -> j2 -> c, and b -> j3 -> d
const answer: LineageGraph = {
  truncated: false,
  graph: [
    node('dataset:ns:a', 'DATASET', [], ['job:ns:j1'], 0, 1),
    node('job:ns:j1', 'JOB', ['dataset:ns:a'], ['dataset:ns:b']),
    node('dataset:ns:b', 'DATASET', ['job:ns:j1'], ['job:ns:j2', 'job:ns:j3']),
    node('job:ns:j2', 'JOB', ['dataset:ns:b'], ['dataset:ns:c']),
    node('dataset:ns:c', 'DATASET', ['job:ns:j2'], [], 1, 4),
    node('job:ns:j3', 'JOB', ['dataset:ns:b'], ['dataset:ns:d']),
    node('dataset:ns:d', 'DATASET', ['job:ns:j3'], []),
  ],
};

describe('the lineage explorer model', () => {
  const g = merge(empty('dataset:ns:b'), answer);

  it('merges nodes and the edges between them', () => {
    expect(g.nodes.size).toBe(7);
    expect(g.edges.size).toBe(6);
    expect(g.edges.has(edgeKey('dataset:ns:b', 'job:ns:j2'))).toBe(true);
  });

  it('counts neighbours the server has that are not shown', () => {
    expect(hidden(g, 'dataset:ns:c')).toEqual({ upstream: 0, downstream: 4 });
    expect(hidden(g, 'dataset:ns:b')).toEqual({ upstream: 0, downstream: 0 });
  });

  it('collapsing a side drops what only that side reached and keeps the root', () => {
    const c = collapse(g, 'dataset:ns:b', 'downstream');
    expect([...c.nodes.keys()].sort()).toEqual(['dataset:ns:a', 'dataset:ns:b', 'job:ns:j1']);
    const up = collapse(g, 'job:ns:j2', 'downstream');
    expect(up.nodes.has('dataset:ns:c')).toBe(false);
    expect(up.nodes.has('dataset:ns:d')).toBe(true);
  });

  it('finds the nodes on paths between two nodes in either order', () => {
    const p = pathBetween(g, 'dataset:ns:c', 'dataset:ns:a');
    expect([...p.nodes].sort()).toEqual(['dataset:ns:a', 'dataset:ns:b', 'dataset:ns:c', 'job:ns:j1', 'job:ns:j2']);
    expect(p.edges.has(edgeKey('dataset:ns:b', 'job:ns:j3'))).toBe(false);
  });

  it('without jobs, datasets a job linked are linked directly', () => {
    const v = visible(g, { hiddenNamespaces: new Set(), showJobs: false });
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['dataset:ns:a', 'dataset:ns:b', 'dataset:ns:c', 'dataset:ns:d']);
    expect(v.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['dataset:ns:a>dataset:ns:b', 'dataset:ns:b>dataset:ns:c', 'dataset:ns:b>dataset:ns:d']);
  });

  it('a dataset-only evidence path lights the jobs between its steps', () => {
    const p = listedPath(g, ['dataset:ns:a', 'dataset:ns:b', 'dataset:ns:c']);
    expect(p.nodes.has('job:ns:j1')).toBe(true);
    expect(p.edges.has(edgeKey('job:ns:j2', 'dataset:ns:c'))).toBe(true);
  });
});
