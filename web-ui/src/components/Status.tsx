import type { ReactNode } from 'react';

export function ErrorBox({ error }: { error: Error | undefined }) {
  return error ? <p role="alert" className="error">{error.message}</p> : null;
}

export function Loading({ when, children }: { when: boolean; children?: ReactNode }) {
  return when ? <p className="loading" aria-live="polite">{children ?? 'Loading…'}</p> : null;
}

/** An async load as a person sees it: "Loading…" until its first answer, its error, then its data as {@code children} render it. */
export function AsyncView<T>({ state, children }: { state: { data?: T; error?: Error; loading: boolean }; children: (data: T) => ReactNode }) {
  return (
    <>
      <Loading when={state.loading && !state.data} />
      <ErrorBox error={state.error} />
      {state.data ? children(state.data) : null}
    </>
  );
}

export function formatTime(value: string | null | undefined): string {
  if (!value) {
    return '—';
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z');
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  const s = ms / 1000;
  if (s < 120) {
    return `${s.toFixed(1)} s`;
  }
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
