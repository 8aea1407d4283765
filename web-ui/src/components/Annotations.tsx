import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { can, useSession } from '../session';
import { useAsync } from '../useAsync';
import { ErrorBox, formatTime } from './Status';

/** The annotation keys of the governance API, with the shape each value takes. */
export const ANNOTATION_KEYS: Record<string, 'text' | 'number' | 'boolean' | 'list' | string[]> = {
  owner: 'text',
  environment: ['prod', 'staging', 'dev', 'test'],
  region: 'text',
  country: 'text',
  retentionDays: 'number',
  legalBasis: 'text',
  purposes: 'list',
  encryptedAtRest: 'boolean',
  transferMechanism: 'text',
  systemOfRecord: 'boolean',
  soxKeyReport: 'boolean',
  pciScope: ['CDE', 'CONNECTED', 'OUT'],
  deidMethod: 'text',
  role: ['tokenizer', 'detokenizer', 'encryptor', 'anonymizer'],
};

/** Turns what a person typed into the JSON value the key takes ("a, b" is a list for purposes). */
export function annotationValue(key: string, raw: string): unknown {
  const shape = ANNOTATION_KEYS[key];
  const text = raw.trim();
  if (text === '') {
    return null; // merge-patch: null removes the key
  }
  if (shape === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (shape === 'boolean') {
    return text === 'true' ? true : text === 'false' ? false : text;
  }
  if (shape === 'list') {
    return text.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return text;
}

function show(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

interface AnnotationState {
  annotations: Record<string, unknown>;
  history?: { at: string; actor: string; reason?: string | null; patch: Record<string, unknown> }[];
}

export function Annotations({ kind, namespace, name, onChange }: { kind: 'datasets' | 'jobs'; namespace: string; name: string; onChange?: () => void }) {
  const { me } = useSession();
  const state = useAsync(() => api.annotations(kind, namespace, name) as Promise<AnnotationState>, [kind, namespace, name]);
  const [key, setKey] = useState('owner');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const annotations = state.data?.annotations ?? {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.patchAnnotations(kind, namespace, name, { [key]: annotationValue(key, value) });
      setValue('');
      state.reload();
      onChange?.();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const shape = ANNOTATION_KEYS[key];
  return (
    <div>
      <ErrorBox error={state.error} />
      {Object.keys(annotations).length === 0 ? (
        <p className="empty">No annotations.</p>
      ) : (
        <dl className="annotations">
          {Object.entries(annotations).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{show(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {can(me, 'annotate') && (
        <form onSubmit={submit} className="inline-form" aria-label="Edit annotations">
          <label>
            Key{' '}
            <select value={key} onChange={(e) => setKey(e.target.value)}>
              {Object.keys(ANNOTATION_KEYS).map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <label>
            Value{' '}
            {Array.isArray(shape) ? (
              <select value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">(remove)</option>
                {shape.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input value={value} onChange={(e) => setValue(e.target.value)} placeholder={shape === 'list' ? 'a, b, c' : shape === 'boolean' ? 'true or false' : ''} />
            )}
          </label>
          <button type="submit">Save</button>
          {error && <span role="alert" className="error">{error}</span>}
        </form>
      )}
      {state.data?.history && state.data.history.length > 0 && (
        <details>
          <summary>History ({state.data.history.length})</summary>
          <ul className="small">
            {state.data.history.map((h, i) => (
              <li key={i}>
                {formatTime(h.at)} {h.actor}: {JSON.stringify(h.patch)}
                {h.reason ? ` — ${h.reason}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
