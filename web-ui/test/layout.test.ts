import { describe, expect, it } from 'vitest';
import { layered } from '../src/pages/lineage/layered';
import { DAGRE_LIMIT, layout } from '../src/pages/lineage/layout';

function chain(layers: number, width: number) {
  const boxes = [];
  const edges = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      boxes.push({ id: `${l}.${i}`, width: 100 + (i % 3) * 20, height: 30 + (i % 2) * 10 });
      if (l > 0) {
        edges.push({ from: `${l - 1}.${i}`, to: `${l}.${i}` }, { from: `${l - 1}.${(i + 1) % width}`, to: `${l}.${i}` });
      }
    }
  }
  return { boxes, edges };
}

function overlaps(positions: Map<string, { x: number; y: number; width: number; height: number }>): boolean {
  const list = [...positions.values()];
  return list.some((a, i) => list.slice(i + 1).some((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height));
}

describe('layouts', () => {
  it('place every edge of a DAG left to right without overlapping boxes', () => {
    const { boxes, edges } = chain(6, 40);
    const result = layered(boxes, edges, 70, 16);
    expect(result.positions.size).toBe(boxes.length);
    for (const e of edges) {
      const a = result.positions.get(e.from)!;
      const b = result.positions.get(e.to)!;
      expect(a.x + a.width).toBeLessThan(b.x);
    }
    expect(overlaps(result.positions)).toBe(false);
    expect(result.width).toBeGreaterThan(0);
  });

  it('survive cycles and self-loops', () => {
    const boxes = ['a', 'b', 'c'].map((id) => ({ id, width: 50, height: 20 }));
    const result = layered(boxes, [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'b', to: 'b' }], 70, 16);
    expect(result.positions.size).toBe(3);
    expect(overlaps(result.positions)).toBe(false);
  });

  it('use dagre for small graphs and the layered layout past the limit', () => {
    const small = chain(3, 3);
    const big = chain(5, Math.ceil(DAGRE_LIMIT / 5) + 1);
    expect(layout(small.boxes, small.edges).positions.size).toBe(9);
    expect(overlaps(layout(big.boxes, big.edges).positions)).toBe(false);
  });
});
