import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type LineageGraph } from '../../api';
import { ClassificationBadge } from '../../components/Badges';
import { ErrorBox, Loading } from '../../components/Status';
import { impactPath, kindOf, pageOf } from '../../nodes';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { ColumnView } from './ColumnView';
import { fromDatasets, fromTrace } from './columns';
import { GraphView, type Highlight } from './GraphView';
import { collapse, empty, listedPath, merge, namespacesOf, pathBetween, sideCounts, visible, type LGraph } from './model';

type Direction = 'upstream' | 'downstream' | 'both';

function parsePath(raw: string | null): string[] {
  if (!raw) {
    return [];
  }
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The explorer's current address with one parameter set (or removed, for null). */
function withParam(key: string, value: string | null): string {
  const next = new URLSearchParams(window.location.search);
  if (value === null) {
    next.delete(key);
  } else {
    next.set(key, value);
  }
  return `/lineage?${next.toString()}`;
}

/** A datetime-local value ("2024-11-21T02:00") as the API's ISO instant, read as UTC. */
function isoOf(local: string): string | undefined {
  return local ? `${local.length === 16 ? `${local}:00` : local}Z` : undefined;
}

export function LineagePage({ params }: { params: URLSearchParams }) {
  const root = params.get('node') ?? '';
  const traceParam = params.get('field');
  // Keyed on the raw strings: the URLSearchParams object is new on every render of the app.
  const pathParam = params.get('path');
  const evidence = useMemo(() => parsePath(pathParam), [pathParam]);
  const { namespaces } = useSession();
  const [direction, setDirection] = useState<Direction>((params.get('direction') as Direction) || 'both');
  const [asOf, setAsOf] = useState(params.get('asOf') ?? '');
  const [depth, setDepth] = useState(() => Math.min(20, Math.max(1, Number(params.get('depth')) || 1)));
  const [graph, setGraph] = useState<LGraph>(() => empty(root));
  const [error, setError] = useState<Error | undefined>();
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [hiddenNamespaces, setHiddenNamespaces] = useState<Set<string>>(new Set());
  const [showJobs, setShowJobs] = useState(true);
  const [overlay, setOverlay] = useState(true);
  const [columnMode, setColumnMode] = useState(traceParam !== null);
  const [trace, setTrace] = useState<{ key: string; answer: LineageGraph } | null>(null);

  const fail = (e: unknown) => setError(e instanceof Error ? e : new Error(String(e)));

  // The view's settings live in the address too, so a link or a reload shows the same view.
  useEffect(() => {
    const next = new URLSearchParams(window.location.search);
    const set = (key: string, value: string, fallback: string) => (value === fallback ? next.delete(key) : next.set(key, value));
    set('direction', direction, 'both');
    set('depth', String(depth), '1');
    set('asOf', asOf, '');
    navigate(`/lineage?${next.toString()}`, true);
  }, [direction, depth, asOf]);

  // Opening: depth 1 around the node, or deep enough to hold a finding's evidence path.
  useEffect(() => {
    if (!root || (kindOf(root) !== 'dataset' && kindOf(root) !== 'job')) {
      setLoading(false);
      setError(new Error('Pick a dataset or job to start from: search for one, or open lineage from its page.'));
      return;
    }
    setLoading(true);
    setError(undefined);
    const opening = evidence.length > 1 ? Math.max(depth, Math.min(20, evidence.length)) : depth;
    api.lineage(root, opening, evidence.length > 1 ? 'upstream' : direction, isoOf(asOf)).then((answer) => {
      const g = merge(empty(root), answer);
      setGraph(g);
      setHighlight(evidence.length > 1 ? listedPath(g, evidence) : null);
    }, fail).finally(() => setLoading(false));
  }, [root, direction, asOf, evidence, depth]);

  const traceField = useCallback((key: string) => {
    setLoading(true);
    api.columnLineage(key).then((answer) => setTrace({ key, answer }), fail).finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    if (traceParam) {
      traceField(traceParam);
    }
  }, [traceParam, traceField]);

  const expand = useCallback((id: string, side: 'upstream' | 'downstream') => {
    api.lineage(id, 1, side, isoOf(asOf)).then((answer) => setGraph((g) => merge(g, answer)), fail);
  }, [asOf]);

  const collapseSide = useCallback((id: string, side: 'upstream' | 'downstream') => {
    setGraph((g) => collapse(g, id, side));
  }, []);

  const select = useCallback((id: string) => {
    setSelected(id);
    if (pathFrom && pathFrom !== id) {
      setHighlight(pathBetween(graph, pathFrom, id));
      setPathFrom(null);
    }
  }, [graph, pathFrom]);

  const shown = useMemo(() => visible(graph, { hiddenNamespaces, showJobs }), [graph, hiddenNamespaces, showJobs]);
  const counts = useMemo(() => sideCounts(graph), [graph]);
  const columnModel = useMemo(() => {
    if (!columnMode) {
      return null;
    }
    if (trace) {
      return fromTrace(trace.answer);
    }
    const datasets = visible(graph, { hiddenNamespaces, showJobs: false });
    return fromDatasets(datasets.nodes, datasets.edges);
  }, [columnMode, trace, graph, hiddenNamespaces]);

  const node = selected ? graph.nodes.get(selected) : undefined;
  const c = selected ? counts.get(selected) : undefined;
  const page = selected ? pageOf(selected, namespaces) : null;
  const allNamespaces = namespacesOf(graph);

  return (
    <section className="lineage">
      <header className="lineage-head">
        <h1>Lineage of {graph.nodes.get(root)?.name ?? root.replace(/^(dataset|job):/, '')}</h1>
        <div className="lineage-controls" role="group" aria-label="Lineage options">
          <label>
            Direction{' '}
            <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
              <option value="both">both</option>
              <option value="upstream">upstream</option>
              <option value="downstream">downstream</option>
            </select>
          </label>
          <label>
            Depth{' '}
            <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
              {[1, 2, 3, 5, 10, 20].map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <label>
            As of (UTC){' '}
            <input type="datetime-local" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={columnMode} onChange={(e) => { setColumnMode(e.target.checked); if (!e.target.checked) { setTrace(null); } }} /> Columns
          </label>
          <label>
            <input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> Classifications
          </label>
          <label>
            <input type="checkbox" checked={showJobs} onChange={(e) => setShowJobs(e.target.checked)} disabled={columnMode} /> Jobs
          </label>
          {allNamespaces.length > 1 && (
            <details className="ns-filter">
              <summary>Namespaces ({allNamespaces.length - hiddenNamespaces.size}/{allNamespaces.length})</summary>
              {allNamespaces.map((ns) => (
                <label key={ns} className="block">
                  <input type="checkbox" checked={!hiddenNamespaces.has(ns)}
                         onChange={(e) => setHiddenNamespaces((h) => { const next = new Set(h); if (e.target.checked) { next.delete(ns); } else { next.add(ns); } return next; })} />{' '}
                  {ns}
                </label>
              ))}
            </details>
          )}
          {highlight && (
            <button type="button" onClick={() => setHighlight(null)}>
              Clear highlight
            </button>
          )}
        </div>
      </header>
      <ErrorBox error={error} />
      <Loading when={loading} />
      {graph.truncated && <p className="warning">The graph was cut at the server's fan-out or size cap; expand nodes to see more.</p>}
      {evidence.length > 1 && <p className="hint">Highlighted: the evidence path of a finding ({evidence.length} steps).</p>}
      {pathFrom && <p className="hint">Click a second node to highlight the path between them.</p>}
      <div className="lineage-body">
        {columnMode && columnModel ? (
          <ColumnView model={columnModel} traced={trace?.key ?? null} overlay={overlay} fitKey={`${root}|col|${trace?.key ?? ''}`}
                      onTrace={(key) => navigate(withParam('field', key), true)} />
        ) : (
          <GraphView nodes={shown.nodes} edges={shown.edges} root={root} selected={selected} highlight={highlight} overlay={overlay}
                     fitKey={`${root}|${direction}|${depth}|${asOf}|${shown.nodes.length}`} counts={counts} onSelect={select} onExpand={expand} onCollapse={collapseSide} />
        )}
        <aside className="lineage-side" aria-label="Selection">
          {columnMode && (
            <div>
              <h2>Column mode</h2>
              {trace ? (
                <>
                  <p className="break">
                    Tracing <code>{trace.key.replace(/^datasetField:/, '')}</code>: {trace.answer.graph.length} fields.
                  </p>
                  <p className="small">Solid: identity · dashed: transformation · dotted: aggregation · red: masked.</p>
                  <button type="button" onClick={() => { setTrace(null); navigate(withParam('field', null), true); }}>
                    Clear trace
                  </button>
                </>
              ) : (
                <p>Click a field to trace its column lineage.</p>
              )}
            </div>
          )}
          {!columnMode && node && c && (
            <div>
              <h2>{node.type === 'DATASET' ? 'Dataset' : 'Job'}</h2>
              <p className="break">
                <strong>{node.name}</strong>
                <br />
                <span className="mono small">{node.namespace}</span>
              </p>
              {node.labels.length > 0 && (
                <p>
                  {node.labels.map((l) => (
                    <ClassificationBadge key={`${l.field}:${l.code}:${l.protection}`} code={l.code} protection={l.protection} source={l.field ?? 'suspected'} />
                  ))}
                </p>
              )}
              <div className="stack">
                {page && <Link to={page}>Open {node.type === 'DATASET' ? 'dataset' : 'job'} page</Link>}
                <Link to={`/lineage?${new URLSearchParams({ node: node.id }).toString()}`}>Re-centre here</Link>
                {node.type === 'DATASET' && <Link to={impactPath(node.id)}>Impact of a change</Link>}
                <button type="button" onClick={() => expand(node.id, 'upstream')} disabled={c.upstream === 0}>
                  Expand upstream ({c.upstream} hidden)
                </button>
                <button type="button" onClick={() => expand(node.id, 'downstream')} disabled={c.downstream === 0}>
                  Expand downstream ({c.downstream} hidden)
                </button>
                <button type="button" onClick={() => collapseSide(node.id, 'upstream')} disabled={c.shownIn === 0 || node.id === root}>
                  Collapse upstream
                </button>
                <button type="button" onClick={() => collapseSide(node.id, 'downstream')} disabled={c.shownOut === 0 || node.id === root}>
                  Collapse downstream
                </button>
                <button type="button" onClick={() => setPathFrom(node.id)}>
                  Highlight path to…
                </button>
              </div>
            </div>
          )}
          {!columnMode && !node && <p className="hint">Click a node for details; +N on a side opens hidden neighbours, − closes them.</p>}
          <p className="small muted">
            {graph.nodes.size} nodes, {graph.edges.size} edges on screen.
          </p>
        </aside>
      </div>
    </section>
  );
}
