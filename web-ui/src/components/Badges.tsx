// Classification badges: the family (PII, PHI, PCI, FIN) up front, clear vs protected by colour
// and by word, so the state reads without colour too.

export function family(code: string): string {
  const upper = code.toUpperCase();
  if (upper.startsWith('PII.SPECIAL')) {
    return 'PII';
  }
  const head = upper.split('.')[0] ?? upper;
  return ['PII', 'PHI', 'PCI', 'FIN'].includes(head) ? head : 'OTHER';
}

const PROTECTION: Record<string, string> = {
  CLEAR: 'clear',
  PARTIAL: 'partially masked',
  HASHED_UNKEYED: 'hashed (unkeyed)',
  HASHED_KEYED: 'hashed (keyed)',
  TOKENISED: 'tokenised',
  ENCRYPTED: 'encrypted',
  AGGREGATED: 'aggregated',
  ANONYMISED: 'anonymised',
};

export function protectionText(protection: string | null | undefined): string {
  return PROTECTION[(protection ?? 'CLEAR').toUpperCase()] ?? (protection ?? 'clear').toLowerCase();
}

export function isClear(protection: string | null | undefined): boolean {
  const p = (protection ?? 'CLEAR').toUpperCase();
  // Unkeyed hashes of low-entropy values are reversible by dictionary: still personal data.
  return p === 'CLEAR' || p === 'PARTIAL' || p === 'HASHED_UNKEYED';
}

export function ClassificationBadge({ code, protection, source }: { code: string; protection?: string | null; source?: string | null }) {
  const clear = isClear(protection);
  const title = `${code} — ${protectionText(protection)}${source ? ` (${source.toLowerCase()})` : ''}`;
  return (
    <span className={`badge badge-${family(code).toLowerCase()} ${clear ? 'badge-clear' : 'badge-protected'}`} title={title} data-testid="classification-badge">
      <span className="badge-family">{family(code)}</span>
      <span className="badge-code">{code}</span>
      <span className="badge-protection">{protectionText(protection)}</span>
    </span>
  );
}

/** One compact badge per family for graph nodes: "PII ⚠" when any label of it is clear. */
export function FamilyBadges({ labels }: { labels: { code: string; protection: string }[] }) {
  const families = new Map<string, boolean>();
  for (const l of labels) {
    const f = family(l.code);
    families.set(f, (families.get(f) ?? false) || isClear(l.protection));
  }
  return (
    <>
      {[...families.entries()].sort().map(([f, clear]) => (
        <span key={f} className={`badge badge-${f.toLowerCase()} ${clear ? 'badge-clear' : 'badge-protected'}`} data-testid="classification-badge"
              title={`${f}: ${clear ? 'some in clear' : 'all protected'}`}>
          {f}{clear ? ' · clear' : ' · protected'}
        </span>
      ))}
    </>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`severity severity-${severity.toLowerCase()}`}>{severity}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`run-state run-state-${state.toLowerCase()}`}>{state}</span>;
}
