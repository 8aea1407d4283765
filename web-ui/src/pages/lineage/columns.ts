// Column mode's model: dataset boxes with field rows, and field-to-field derivations labelled
// with their transformation (OpenLineage's columnLineage types: IDENTITY, TRANSFORMATION,
// AGGREGATION; INDIRECT for joins and filters; masking when a hash or mask was applied).
import type { LineageGraph } from '../../api';
import { datasetId, fieldId } from '../../nodes';
import type { Label, LEdge, LNode } from './model';

export interface Row {
  key: string;
  field: string;
  type: string | null;
  labels: Label[];
}

export interface ColumnBox {
  id: string;
  namespace: string;
  name: string;
  rows: Row[];
}

export interface FieldEdge {
  from: string;
  to: string;
  kind: string;
  subtype: string | null;
  masking: boolean;
}

export interface ColumnModel {
  boxes: ColumnBox[];
  fieldEdges: FieldEdge[];
  datasetEdges: LEdge[];
}

interface FieldData {
  namespace: string;
  dataset: string;
  field: string;
  fieldType?: string | null;
  inputFields?: {
    namespace: string;
    dataset: string;
    field: string;
    transformations?: { type?: string; subtype?: string | null; masking?: boolean }[];
  }[];
}

/** The traced field's column lineage, grouped by dataset. */
export function fromTrace(answer: LineageGraph): ColumnModel {
  const boxes = new Map<string, ColumnBox>();
  const fieldEdges = new Map<string, FieldEdge>();
  const datasetEdges = new Map<string, LEdge>();
  const present = new Set(answer.graph.map((n) => n.id));
  for (const n of answer.graph) {
    const d = n.data as unknown as FieldData;
    const box = datasetId(d.namespace, d.dataset);
    if (!boxes.has(box)) {
      boxes.set(box, { id: box, namespace: d.namespace, name: d.dataset, rows: [] });
    }
    const labels = (n.classifications ?? []).map((l) => ({ field: d.field, code: l.code, protection: l.protection }));
    boxes.get(box)?.rows.push({ key: n.id, field: d.field, type: d.fieldType ?? null, labels });
  }
  for (const n of answer.graph) {
    const d = n.data as unknown as FieldData;
    for (const input of d.inputFields ?? []) {
      const from = fieldId(input.namespace, input.dataset, input.field);
      if (!present.has(from)) {
        continue;
      }
      const t = input.transformations?.[0];
      const masking = (input.transformations ?? []).some((x) => x.masking);
      fieldEdges.set(`${from}>${n.id}`, { from, to: n.id, kind: t?.type ?? 'DIRECT', subtype: t?.subtype ?? null, masking });
      const a = datasetId(input.namespace, input.dataset);
      const b = datasetId(d.namespace, d.dataset);
      if (a !== b) {
        datasetEdges.set(`${a}>${b}`, { from: a, to: b });
      }
    }
  }
  for (const b of boxes.values()) {
    b.rows.sort((x, y) => x.field.localeCompare(y.field));
  }
  return { boxes: [...boxes.values()], fieldEdges: [...fieldEdges.values()], datasetEdges: [...datasetEdges.values()] };
}

/** Before a field is picked: the datasets on screen with all their fields to pick from. */
export function fromDatasets(nodes: readonly LNode[], edges: readonly LEdge[]): ColumnModel {
  const boxes = nodes
    .filter((n) => n.type === 'DATASET')
    .map((n) => ({
      id: n.id,
      namespace: n.namespace,
      name: n.name,
      rows: n.fields.map((f) => ({
        key: fieldId(n.namespace, n.name, f.name),
        field: f.name,
        type: f.type ?? null,
        labels: n.labels.filter((l) => l.field === f.name),
      })),
    }));
  return { boxes, fieldEdges: [], datasetEdges: [...edges] };
}

export function edgeText(e: FieldEdge): string {
  const kind = e.subtype && e.subtype !== e.kind ? `${e.kind.toLowerCase()} · ${e.subtype.toLowerCase()}` : e.kind.toLowerCase();
  return e.masking ? `${kind} · masked` : kind;
}
