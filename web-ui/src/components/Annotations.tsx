import { useState, type FormEvent } from 'react';
import { api, type AnnotationKey } from '../api';
import { can, useSession } from '../session';
import { useAsync } from '../useAsync';
import { ErrorBox, formatTime } from './Status';

let keysOnce: Promise<AnnotationKey[]> | null = null;

/** The annotation keys the server enforces (GET /api/v1/annotation-keys), read once per page load. */
export function useAnnotationKeys() {
  return useAsync(() => {
    keysOnce ??= api.annotationKeys().catch((e: unknown) => {
      keysOnce = null;
      throw e;
    });
    return keysOnce;
  }, []);
}

/** A rule's missing fact names the property it reads ("ann.country"); the annotation key is the rest. */
export function annotationKeyOf(fact: string): string {
  return fact.startsWith('ann.') ? fact.slice(4) : fact;
}

/** Turns what a person entered into the JSON value the key takes ("a, b" is a list for purposes). */
export function annotationValue(spec: AnnotationKey | undefined, raw: string): unknown {
  const text = raw.trim();
  if (text === '') {
    return null; // merge-patch: null removes the key
  }
  switch (spec?.type) {
    case 'days':
    case 'tier': {
      const n = Number(text);
      return Number.isInteger(n) ? n : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'list':
    case 'codes':
      return text.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return text;
  }
}

/** The input a key's type calls for; the server checks the value again. */
export function ValueInput({ spec, value, onChange, label }: { spec: AnnotationKey | undefined; value: string; onChange: (v: string) => void; label: string }) {
  if (spec?.type === 'enum' || spec?.type === 'boolean') {
    const options = spec.type === 'boolean' ? ['true', 'false'] : spec.values ?? [];
    return (
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(remove)</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  }
  const hint = spec?.type === 'list' || spec?.type === 'codes' ? 'a, b, c' : spec?.key === 'country' ? 'ISO code, e.g. DE' : spec?.key === 'region' ? 'e.g. eu-west-1'
    : spec?.type === 'duration' ? 'ISO-8601, e.g. PT15M' : spec?.type === 'schedule' ? "cron '0 6 * * *' (UTC) or PT1H" : spec?.type === 'tier' ? '1 (most critical) to 4' : '';
  const numeric = spec?.type === 'days' || spec?.type === 'tier';
  return (
    <input aria-label={label} type={numeric ? 'number' : spec?.type === 'date' ? 'date' : 'text'} min={numeric ? 1 : undefined} max={spec?.type === 'tier' ? 4 : undefined}
           value={value} onChange={(e) => onChange(e.target.value)} placeholder={hint} />
  );
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
  const keys = useAnnotationKeys();
  const [key, setKey] = useState('owner');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const annotations = state.data?.annotations ?? {};
  const usable = (keys.data ?? []).filter((k) => kind === 'jobs' || !k.jobOnly);
  const spec = usable.find((k) => k.key === key);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.patchAnnotations(kind, namespace, name, { [key]: annotationValue(spec, value) });
      setValue('');
      state.reload();
      onChange?.();
    } catch (err) {
      setError((err as Error).message);
    }
  };
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
            <select value={key} onChange={(e) => { setKey(e.target.value); setValue(''); }}>
              {usable.map((k) => (
                <option key={k.key}>{k.key}</option>
              ))}
            </select>
          </label>
          <ValueInput spec={spec} value={value} onChange={setValue} label="Value" />
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
