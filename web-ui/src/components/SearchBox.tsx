import { useEffect, useState, type FormEvent } from 'react';
import { api, type SearchResult } from '../api';
import { searchTarget } from '../nodes';
import { Link, navigate } from '../router';

/** The header's search: suggests datasets and jobs as you type, Enter lists every match. */
export function SearchBox({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  const [typed, setTyped] = useState(false);
  const [suggestions, setSuggestions] = useState<SearchResult[]>([]);
  useEffect(() => {
    const text = q.trim();
    if (!typed || text.length < 2) {
      setSuggestions([]);
      return;
    }
    let current = true;
    // Wait for a pause in typing, so a word costs one request and not one per key.
    const timer = setTimeout(() => {
      api.search(text, undefined, 8).then((r) => current && setSuggestions(r)).catch(() => current && setSuggestions([]));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q, typed]);
  const close = () => {
    setTyped(false);
    setSuggestions([]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) {
      close();
      navigate(`/search?${new URLSearchParams({ q: q.trim() }).toString()}`);
    }
  };
  return (
    <form role="search" onSubmit={submit} className="search-form">
      <input type="search" aria-label="Search the catalog" placeholder="Search datasets, jobs, fields…" value={q} autoComplete="off"
             onChange={(e) => { setQ(e.target.value); setTyped(true); }}
             onKeyDown={(e) => e.key === 'Escape' && close()} />
      <button type="submit">Search</button>
      {suggestions.length > 0 && (
        <ul className="suggestions" aria-label="Suggestions">
          {suggestions.map((r) => (
            <li key={`${r.type}:${r.nodeId}`}>
              <Link to={searchTarget(r)} onClick={close}>{r.name}</Link>
              <span className="small"> {r.type.toLowerCase()} · {r.namespace}</span>
              {(r.aliases ?? []).length > 0 && <span className="small"> · also {r.aliases?.map((a) => a.name).join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
