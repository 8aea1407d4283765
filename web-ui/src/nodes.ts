// Node ids as the API spells them (dataset:<ns>:<name>, job:<ns>:<name>,
// datasetField:<ns>:<name>:<field>) and the app's paths for them. A namespace may itself contain
// ':' (postgres://host:5432), so ids are taken apart with the help of the names the API returns,
// never by splitting on every colon.
import type { SearchResult } from './api';

export type NodeKind = 'dataset' | 'job' | 'datasetField';

export function kindOf(nodeId: string): NodeKind | null {
  const prefix = nodeId.slice(0, nodeId.indexOf(':'));
  return prefix === 'dataset' || prefix === 'job' || prefix === 'datasetField' ? prefix : null;
}

export function datasetId(namespace: string, name: string): string {
  return `dataset:${namespace}:${name}`;
}

export function jobId(namespace: string, name: string): string {
  return `job:${namespace}:${name}`;
}

export function fieldId(namespace: string, name: string, field: string): string {
  return `datasetField:${namespace}:${name}:${field}`;
}

const enc = encodeURIComponent;

export function namespacePath(namespace: string): string {
  return `/namespaces/${enc(namespace)}`;
}

export function datasetPath(namespace: string, name: string): string {
  return `/datasets/${enc(namespace)}/${enc(name)}`;
}

export function jobPath(namespace: string, name: string): string {
  return `/jobs/${enc(namespace)}/${enc(name)}`;
}

export function lineagePath(nodeId: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ node: nodeId, ...extra });
  return `/lineage?${q.toString()}`;
}

export function impactPath(nodeId: string): string {
  return `/impact?${new URLSearchParams({ node: nodeId }).toString()}`;
}

/**
 * Splits a dataset, job or field id into namespace and name with the help of the namespaces the
 * catalog knows: the longest one the id continues with wins. Only when none fits (a namespace
 * created after the list was read) does the namespace end at the name's last colon.
 */
export function splitId(nodeId: string, namespaces: readonly string[]): { kind: NodeKind; namespace: string; name: string } | null {
  const kind = kindOf(nodeId);
  if (kind === null) {
    return null;
  }
  const rest = nodeId.slice(kind.length + 1);
  let best: string | null = null;
  for (const ns of namespaces) {
    if (rest.startsWith(`${ns}:`) && (best === null || ns.length > best.length)) {
      best = ns;
    }
  }
  if (best !== null) {
    return { kind, namespace: best, name: rest.slice(best.length + 1) };
  }
  const colon = rest.lastIndexOf(':');
  return colon <= 0 ? null : { kind, namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** The app's page for a dataset or job id, or null for other ids. */
export function pageOf(nodeId: string, namespaces: readonly string[]): string | null {
  const id = splitId(nodeId, namespaces);
  if (id === null || id.kind === 'datasetField') {
    return null;
  }
  return id.kind === 'dataset' ? datasetPath(id.namespace, id.name) : jobPath(id.namespace, id.name);
}

/** A short label for a node: the last part of its name. */
export function shortName(name: string): string {
  const parts = name.split(/[/]/).filter(Boolean);
  return parts.length ? (parts[parts.length - 1] as string) : name;
}

/** The page a search result opens: its dataset or job, and a field's dataset. */
export function searchTarget(r: SearchResult): string {
  if (r.type === 'DATASET') {
    return datasetPath(r.namespace, r.name);
  }
  if (r.type === 'JOB') {
    return jobPath(r.namespace, r.name);
  }
  return r.dataset ? datasetPath(r.namespace, r.dataset) : '/';
}
