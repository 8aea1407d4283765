// The one module that talks to Waymark's HTTP API. Every call carries the session's token;
// errors come back as ApiError with the server's {error, field, detail}.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type Role = 'admin' | 'steward' | 'auditor' | 'viewer' | 'producer';

export interface Me {
  name: string;
  role: Role;
  roles: Role[];
}

export interface SearchResult {
  type: 'DATASET' | 'JOB' | 'FIELD';
  name: string;
  namespace: string;
  nodeId: string;
  dataset?: string;
  updatedAt?: string | null;
  /** A dataset's aliases (symlinks facet): a search that matched an alias lists the dataset it names. */
  aliases?: DatasetRef[];
  match?: 'EXACT' | 'PREFIX' | 'SUBSTRING';
}

export interface Classification {
  code: string;
  source: string;
  status?: string;
  protection: string;
  confidence?: number | null;
  origin?: string | null;
  path?: unknown;
  explanation?: string | null;
}

export interface Field {
  name: string;
  type?: string | null;
  description?: string | null;
  tags?: unknown[];
  classifications?: Classification[];
  suppressedClassifications?: Classification[];
}

export interface Dataset {
  id: { namespace: string; name: string };
  name: string;
  namespace: string;
  type?: string;
  createdAt?: string;
  updatedAt?: string;
  description?: string | null;
  currentVersion?: string | null;
  deleted?: boolean;
  fields: Field[];
  tags?: unknown[];
  annotations?: Record<string, unknown>;
  facets?: Record<string, unknown>;
  suspectedClassifications?: Classification[];
  /** Other names of this dataset, from a symlinks facet (a catalog table for a file path). */
  aliases?: (DatasetRef & { type?: string | null })[];
  /** Set when this node is only an alias: the dataset it names. */
  aliasOf?: DatasetRef | null;
}

export interface DatasetVersion {
  version: string;
  createdAt?: string;
  fields?: Field[];
  createdByRun?: { id?: string } | null;
}

export interface Run {
  id: string;
  state: string;
  createdAt?: string;
  startedAt?: string | null;
  endedAt?: string | null;
  durationMs?: number | null;
  jobKey?: string;
  /** Why it failed: the errorMessage facet, or a producer's own exception facet (spark.exception). */
  errorMessage?: string | null;
  facets?: Record<string, unknown>;
  inputDatasetVersions?: unknown[];
  outputDatasetVersions?: unknown[];
}

export interface DatasetRef {
  namespace: string;
  name: string;
}

export interface Job {
  id: { namespace: string; name: string };
  name: string;
  namespace: string;
  type?: string;
  description?: string | null;
  location?: string | null;
  inputs: DatasetRef[];
  outputs: DatasetRef[];
  latestRun?: Run | null;
  facets?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface GraphEdge {
  origin: string;
  destination: string;
}

export interface GraphNode {
  id: string;
  type: 'DATASET' | 'JOB' | 'DATASET_FIELD';
  data: Record<string, unknown>;
  inEdges: GraphEdge[];
  outEdges: GraphEdge[];
  neighbours?: { upstream: number; downstream: number };
  classifications?: { field: string | null; code: string; protection: string }[];
}

export interface LineageGraph {
  graph: GraphNode[];
  truncated: boolean;
}

export interface Finding {
  id: string;
  ruleId: string;
  ruleVersion?: string | number;
  regulation: string;
  severity: string;
  outcome: string;
  nodeId: string;
  title: string;
  evidence: Record<string, unknown>;
  remediation?: string;
  firstSeen?: string;
  lastSeen?: string;
  resolvedAt?: string | null;
}

export interface ImpactAffected {
  nodeId: string;
  type: string;
  distance: number;
  effect?: string;
  path: string[];
  owners: string[];
  classifications: (string | { code: string; protection?: string; field?: string })[];
  regulations: string[];
}

export interface ImpactAnswer {
  affected: ImpactAffected[];
  truncated: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role?: string | null;
  action: string;
  target?: string | null;
  detail?: unknown;
  remote?: string | null;
  outcome?: string | null;
}

export interface Rule {
  id: string;
  version?: string | number;
  regulation: string;
  severity: string;
  title?: string;
  citation?: string;
  description?: string;
}

export interface AnnotationKey {
  key: string;
  type: 'enum' | 'text' | 'boolean' | 'days' | 'date' | 'list' | 'codes' | 'duration' | 'schedule' | 'tier';
  values?: string[];
  jobOnly: boolean;
}

export type ReportFormat = 'pdf' | 'csv' | 'json';

/** A label waiting for a steward: proposed by the classifier on arrival (NAME) or from samples (DETECTED). */
export interface Proposal {
  namespace: string;
  dataset: string;
  field: string;
  code: string;
  source: 'NAME' | 'DETECTED';
  confidence: number;
  detector: string | null;
  explanation: string | null;
  protection: string | null;
}

export interface Decision {
  namespace: string;
  dataset: string;
  field: string;
  code: string;
  decision: 'accept' | 'reject';
  reason?: string;
}

const TOKEN_KEY = 'waymark.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token === null) {
    sessionStorage.removeItem(TOKEN_KEY);
  } else {
    sessionStorage.setItem(TOKEN_KEY, token);
  }
}

/** Called when the server refuses the session's token, so the app can return to sign-in. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function headers(token: string | null, extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json', ...extra };
  if (token) {
    h.Authorization = `Bearer ${token}`;
  }
  return h;
}

async function fail(response: Response): Promise<never> {
  let message = `${response.status} ${response.statusText}`;
  let field: string | undefined;
  try {
    const body = (await response.json()) as { error?: string; detail?: string; field?: string };
    message = [body.error, body.detail].filter(Boolean).join(': ') || message;
    field = body.field ?? undefined;
  } catch {
    // Not JSON: keep the status line.
  }
  if (response.status === 401) {
    onUnauthorized();
  }
  throw new ApiError(response.status, message, field);
}

/**
 * The journal position of this tab's latest write (the server's Waymark-Position). Reads ask the
 * server to answer once projection has passed it, so a page shows what the person just changed.
 */
let lastWrite = 0;

async function send(method: string, path: string, body?: unknown, token = storedToken()): Promise<Response> {
  const extra: Record<string, string> = {};
  if (body !== undefined) {
    extra['Content-Type'] = 'application/json';
  }
  if (method === 'GET' && lastWrite > 0) {
    extra['Waymark-Wait-For'] = String(lastWrite);
  }
  const init: RequestInit = { method, headers: headers(token, extra) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    return fail(response);
  }
  const position = Number(response.headers?.get('Waymark-Position'));
  if (method !== 'GET' && position > lastWrite) {
    lastWrite = position;
  }
  return response;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function datasetPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${enc(namespace)}/datasets/${enc(name)}`;
}

function jobPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${enc(namespace)}/jobs/${enc(name)}`;
}

/** Downloads a response as a file named by the server (Content-Disposition) or the fallback. */
async function download(path: string, fallback: string): Promise<string> {
  const response = await send('GET', path);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const name = match?.[1] ?? fallback;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export interface JobHealth {
  namespace: string;
  name: string;
  state: 'OK' | 'FAILING' | 'STUCK' | 'LATE';
  reason: string | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  successRate: number | null;
  cadenceMs: number | null;
  expectedBy: string | null;
  tier: number | null;
  owner: string | null;
  latestRun: { id: string; state: string; startedAt: string | null; endedAt: string | null; durationMs: number | null };
  runs?: { id: string; state: string; startedAt: string | null; endedAt: string | null; durationMs: number | null }[];
}

export interface Freshness {
  namespace: string;
  name: string;
  freshnessSla: string;
  lastWrite: string | null;
  lagSeconds: number | null;
  stale: boolean;
}

export interface RootCause {
  job: string;
  jobKey: string;
  state: string;
  reason: string;
  path: string[];
}

export interface Incident {
  id: string;
  kind: string;
  state: 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';
  severity: string;
  title: string;
  subject: string;
  namespace: string;
  name: string;
  owner: string | null;
  openedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  detail: { reason?: string; rootCause?: RootCause[]; [key: string]: unknown };
  history?: { at: string; action: string; actor: string; detail: string | null }[];
}

export interface QualityPoint {
  run: string;
  at: string | null;
  checked: number | null;
  failed: string[];
  rowCount: number | null;
}

export interface AlertChannel {
  name: string;
  type: string;
  settings: Record<string, unknown>;
  secret: string | null;
  route: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
}

export interface Scan {
  id: string;
  connection: string;
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  finishedAt: string | null;
  tables: number;
  columns: number;
  progress: number;
  error: string | null;
  changes?: { dataset: string; column?: string; change: string; type?: string }[];
}

export interface Connection {
  name: string;
  jdbcUrl: string;
  user: string | null;
  password: string | null;
  passwordEnv: string | null;
  include: string[];
  exclude: string[];
  sampleSize: number;
  schedule: string | null;
  namespace: string;
  lastScan?: Scan | null;
}

export const api = {
  /** Checks a token before it is kept: the sign-in form's call. */
  async me(token?: string): Promise<Me> {
    const response = await send('GET', '/api/v1/me', undefined, token ?? storedToken());
    return (await response.json()) as Me;
  },
  search: (q: string, filter?: 'DATASET' | 'JOB' | 'FIELD', limit = 50) =>
    json<{ results: SearchResult[] }>('GET', `/api/v1/search${query({ q, filter, limit })}`).then((r) => r.results),
  recentRuns: (state?: string, limit = 15) =>
    json<{ runs: Run[] }>('GET', `/api/v1/runs${query({ state, limit })}`).then((r) => r.runs),
  namespaces: () => json<{ namespaces: { name: string }[] }>('GET', '/api/v1/namespaces?limit=1000').then((r) => r.namespaces),
  namespaceDatasets: (namespace: string) =>
    json<{ datasets: Dataset[]; totalCount?: number }>('GET', `/api/v1/namespaces/${enc(namespace)}/datasets?limit=500`),
  namespaceJobs: (namespace: string) => json<{ jobs: Job[]; totalCount?: number }>('GET', `/api/v1/namespaces/${enc(namespace)}/jobs?limit=500`),
  dataset: (namespace: string, name: string) => json<Dataset>('GET', datasetPath(namespace, name)),
  datasetVersions: (namespace: string, name: string) =>
    json<{ versions: DatasetVersion[] }>('GET', `${datasetPath(namespace, name)}/versions?limit=20`).then((r) => r.versions),
  job: (namespace: string, name: string) => json<Job>('GET', jobPath(namespace, name)),
  jobRuns: (namespace: string, name: string) =>
    json<{ runs: Run[]; totalCount: number }>('GET', `${jobPath(namespace, name)}/runs?limit=50`),
  annotations: (kind: 'datasets' | 'jobs', namespace: string, name: string) =>
    json<{ annotations: Record<string, unknown> }>('GET', `/api/v1/namespaces/${enc(namespace)}/${kind}/${enc(name)}/annotations`),
  annotationKeys: () => json<{ keys: AnnotationKey[] }>('GET', '/api/v1/annotation-keys').then((r) => r.keys),
  patchAnnotations: (kind: 'datasets' | 'jobs', namespace: string, name: string, patch: Record<string, unknown>) =>
    json<unknown>('PUT', `/api/v1/namespaces/${enc(namespace)}/${kind}/${enc(name)}/annotations`, patch),
  classify: (namespace: string, name: string, field: string, code: string, reason: string) =>
    json<unknown>('PUT', `${datasetPath(namespace, name)}/fields/${enc(field)}/classifications/${enc(code)}`, reason ? { reason } : {}),
  declassify: (namespace: string, name: string, field: string, code: string, reason: string) =>
    json<unknown>('DELETE', `${datasetPath(namespace, name)}/fields/${enc(field)}/classifications/${enc(code)}`, reason ? { reason } : {}),
  lineage: (nodeId: string, depth: number, direction: 'upstream' | 'downstream' | 'both', asOf?: string) =>
    json<LineageGraph>('GET', `/api/v1/lineage${query({ nodeId, depth, direction, asOf })}`),
  columnLineage: (nodeId: string, depth = 10) =>
    json<LineageGraph>('GET', `/api/v1/column-lineage${query({ nodeId, depth, withDownstream: true })}`),
  impact: (nodeId: string, change: string) => json<ImpactAnswer>('GET', `/api/v1/impact${query({ nodeId, change })}`),
  impactCsv: (nodeId: string, change: string) => download(`/api/v1/impact${query({ nodeId, change, format: 'csv' })}`, 'impact.csv'),
  findings: (params: { regulation?: string; severity?: string; outcome?: string; nodeId?: string; limit?: number }) =>
    json<{ findings: Finding[] }>('GET', `/api/v1/compliance/findings${query({ limit: 5000, ...params })}`).then((r) => r.findings),
  taxonomy: () =>
    json<{ classifications: { code: string; family: string; description: string }[] }>('GET', '/api/v1/classifications').then((r) => r.classifications),
  trend: (days = 30) =>
    json<{ days: { date: string; open: number; byRegulation: Record<string, number>; byOutcome: Record<string, number> }[] }>('GET', `/api/v1/compliance/trend?days=${days}`).then((r) => r.days),
  rules: () => json<{ rules: Rule[] }>('GET', '/api/v1/compliance/rules').then((r) => r.rules),
  evaluate: () => json<{ findings: number; durationMs: number; byOutcome: Record<string, number> }>('POST', '/api/v1/compliance/evaluations'),
  auditLog: (params: { actor?: string; action?: string; since?: string; before?: number; limit?: number }) =>
    json<{ entries: AuditEntry[] }>('GET', `/api/v1/audit-log${query({ limit: 100, ...params })}`).then((r) => r.entries),
  auditVerification: () => json<{ valid: boolean; entries: number; brokenAt: number | null; head: string | null }>('GET', '/api/v1/audit-log/verification'),
  proposals: (params: { namespace?: string; code?: string; minConfidence?: number; limit?: number }) =>
    json<{ proposals: Proposal[]; totalCount: number }>('GET', `/api/v1/classifications/proposals${query({ limit: 200, ...params })}`),
  decide: (decisions: Decision[], reason?: string) =>
    json<{ accepted: number; rejected: number }>('POST', '/api/v1/classifications/decisions', { reason, decisions }),
  monitorJobs: (params: { state?: string; namespace?: string; limit?: number }) =>
    json<{ jobs: JobHealth[]; totalCount: number }>('GET', `/api/v1/monitor/jobs${query({ limit: 200, ...params })}`),
  monitorJob: (namespace: string, name: string) => json<JobHealth>('GET', `/api/v1/monitor/jobs/${enc(namespace)}/${enc(name)}`),
  freshness: () => json<{ datasets: Freshness[] }>('GET', '/api/v1/monitor/datasets').then((r) => r.datasets),
  datasetHealth: (namespace: string, name: string) =>
    json<{ freshness?: Freshness; quality: QualityPoint[] }>('GET', `/api/v1/monitor/datasets/${enc(namespace)}/${enc(name)}`),
  incidents: (params: { state?: string; namespace?: string; kind?: string; limit?: number }) =>
    json<{ incidents: Incident[]; totalCount: number }>('GET', `/api/v1/incidents${query({ limit: 200, ...params })}`),
  incident: (id: string) => json<Incident>('GET', `/api/v1/incidents/${enc(id)}`),
  actOnIncident: (id: string, action: 'acknowledge' | 'resolve', reason?: string) =>
    json<Incident>('POST', `/api/v1/incidents/${enc(id)}/${action}`, reason ? { reason } : {}),
  channels: () => json<{ channels: AlertChannel[] }>('GET', '/api/v1/alerts/channels').then((r) => r.channels),
  testChannel: (name: string) => json<{ ok: boolean; error: string | null }>('POST', `/api/v1/alerts/channels/${enc(name)}/test`),
  connections: () => json<{ connections: Connection[] }>('GET', '/api/v1/connections').then((r) => r.connections),
  createConnection: (body: Record<string, unknown>) => json<Connection>('POST', '/api/v1/connections', body),
  testConnection: (name: string) => json<{ ok: boolean; product?: string; error?: string }>('POST', `/api/v1/connections/${enc(name)}/test`),
  startScan: (name: string) => json<{ id: string }>('POST', `/api/v1/connections/${enc(name)}/scans`),
  scan: (name: string, id: string) => json<Scan>('GET', `/api/v1/connections/${enc(name)}/scans/${enc(id)}`),
  report: (regulation: string, format: ReportFormat) =>
    download(`/api/v1/reports/${enc(regulation)}${query({ format })}`, `waymark-${regulation}.${format}`),
};
