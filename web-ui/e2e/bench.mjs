// Benchmark: time until a 1,000-node lineage graph is drawn and interactive in headless Chromium.
// Loads a layered DAG into a running Waymark (WAYMARK_URL, admin WAYMARK_TOKEN): LAYERS layers of
// WIDTH datasets, each written by its own job reading two datasets of the layer before, and one
// sink whose job reads the whole last layer. The explorer opens at the sink, upstream, depth 20,
// so it draws every node. Each run is a fresh browser context (no cache): from navigation start
// until all nodes are in the DOM ("drawn"), plus the time a click on a node takes to show its
// details in the side panel, measured in the page ("interactive" = drawn + click). Prints each run and the median; where the time goes comes from the
// page's own performance entries (the lineage request, the layout).
import { chromium } from 'playwright-core';

const url = process.env.WAYMARK_URL ?? 'http://localhost:5000';
const token = process.env.WAYMARK_TOKEN;
const layers = Number(process.env.LAYERS ?? 11);
const width = Number(process.env.WIDTH ?? 50);
const runs = Number(process.env.RUNS ?? 5);
const ns = process.env.BENCH_NS ?? `bench_ui_${layers}x${width}`;
if (!token) {
  throw new Error('WAYMARK_TOKEN is not set');
}

const dataset = (layer, i) => ({ namespace: ns, name: `l${String(layer).padStart(2, '0')}.d${String(i).padStart(3, '0')}` });
const event = (job, inputs, outputs, n) => ({
  eventType: 'COMPLETE',
  eventTime: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString(),
  producer: 'https://github.com/waymark/web-ui/e2e/bench.mjs',
  run: { runId: crypto.randomUUID() },
  job: { namespace: ns, name: job },
  inputs,
  outputs,
});

async function api(method, path, body, type = 'application/json') {
  const response = await fetch(url + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

const events = [];
for (let layer = 1; layer < layers; layer++) {
  for (let i = 0; i < width; i++) {
    events.push(event(`l${layer}.job${i}`, [dataset(layer - 1, i), dataset(layer - 1, (i + 1) % width)], [dataset(layer, i)], events.length));
  }
}
const sink = { namespace: ns, name: 'sink' };
events.push(event('sink.job', Array.from({ length: width }, (_, i) => dataset(layers - 1, i)), [sink], events.length));
const expected = layers * width + 1 + (layers - 1) * width + 1;

for (let i = 0; i < events.length; i += 200) {
  await api('POST', '/api/v1/lineage/batch', events.slice(i, i + 200).map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson');
}
const nodeId = `dataset:${ns}:sink`;
const query = `/api/v1/lineage?${new URLSearchParams({ nodeId, depth: '20', direction: 'upstream' })}`;
for (let tries = 0; ; tries++) {
  const graph = await api('GET', query).catch(() => ({ graph: [] }));
  if (graph.graph.length >= expected) {
    break;
  }
  if (tries > 240) {
    throw new Error(`the graph has ${graph.graph.length} of ${expected} nodes after a minute`);
  }
  await new Promise((r) => setTimeout(r, 250));
}
console.log(`graph: ${expected} nodes (${layers} layers x ${width} datasets + jobs + sink), namespace ${ns}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript((t) => sessionStorage.setItem('waymark.token', t), token);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}/lineage?${new URLSearchParams({ node: nodeId, direction: 'upstream', depth: '20' })}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lineage-node"]').length >= n, expected, { timeout: 60_000, polling: 'raf' });
  const drawn = Date.now() - started;
  // The click is timed inside the page (dispatch to the next painted frame showing the
  // selection), so the figure is the app's and not the test driver's.
  const click = Math.round(await page.evaluate(async (i) => {
    const node = document.querySelectorAll('[data-node^="job:"]')[i];
    const t = performance.now();
    node.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (document.querySelector('.lineage-side h2')?.textContent === 'Job' ? requestAnimationFrame(resolve) : requestAnimationFrame(check));
      check();
    });
    return performance.now() - t;
  }, Math.floor(expected / 4)));
  const interactive = drawn + click;
  const timings = await page.evaluate(() => ({
    request: Math.round(performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/lineage?')).map((e) => e.duration).pop() ?? 0),
    layout: Math.round(performance.getEntriesByName('waymark:layout').map((e) => e.duration).pop() ?? 0),
    layouts: performance.getEntriesByName('waymark:layout').length,
    domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0),
  }));
  results.push({ drawn, interactive, click, ...timings });
  console.log(`run ${run + 1}: drawn ${drawn} ms, interactive ${interactive} ms (click answered in ${click} ms); `
    + `page loaded ${timings.domContentLoaded} ms, lineage request ${timings.request} ms, layout ${timings.layout} ms (${timings.layouts} layouts)`);
  await context.close();
}
await browser.close();
const median = (key) => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`median of ${runs}: drawn ${median('drawn')} ms, interactive ${median('interactive')} ms, lineage request ${median('request')} ms, layout ${median('layout')} ms`);
