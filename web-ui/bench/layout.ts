// Times the two layouts on the UI benchmark's graph shape (LAYERS x WIDTH datasets, a job per
// dataset reading two of the layer before, one sink), in Node: `npx vite-node bench/layout.ts`.
import dagre from '@dagrejs/dagre';
import { layered } from '../src/pages/lineage/layered';

const layers = Number(process.env.LAYERS ?? 11);
const width = Number(process.env.WIDTH ?? 50);
const boxes: { id: string; width: number; height: number }[] = [];
const edges: { from: string; to: string }[] = [];
for (let l = 0; l < layers; l++) {
  for (let i = 0; i < width; i++) {
    boxes.push({ id: `d${l}.${i}`, width: 250, height: 46 });
    if (l > 0) {
      boxes.push({ id: `j${l}.${i}`, width: 210, height: 34 });
      edges.push({ from: `d${l - 1}.${i}`, to: `j${l}.${i}` }, { from: `d${l - 1}.${(i + 1) % width}`, to: `j${l}.${i}` }, { from: `j${l}.${i}`, to: `d${l}.${i}` });
    }
  }
}
boxes.push({ id: 'sinkjob', width: 210, height: 34 }, { id: 'sink', width: 250, height: 46 });
for (let i = 0; i < width; i++) {
  edges.push({ from: `d${layers - 1}.${i}`, to: 'sinkjob' });
}
edges.push({ from: 'sinkjob', to: 'sink' });

function time(name: string, f: () => void) {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    f();
    runs.push(Math.round(performance.now() - t));
  }
  console.log(`${name}: ${runs.join(', ')} ms (${boxes.length} nodes, ${edges.length} edges)`);
}

time('layered', () => layered(boxes, edges, 70, 16));
time('dagre', () => {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  boxes.forEach((b) => g.setNode(b.id, { width: b.width, height: b.height }));
  edges.forEach((e) => g.setEdge(e.from, e.to));
  dagre.layout(g);
});
