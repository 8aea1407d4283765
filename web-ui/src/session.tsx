// Who is signed in, what their role lets them do, and the namespaces the catalog knows (needed
// to take node ids apart). The token lives in sessionStorage: it goes when the tab closes.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, storeToken, storedToken, type Me, type Role } from './api';

export type Action = 'read' | 'annotate' | 'classify' | 'evaluate' | 'audit' | 'report' | 'respond' | 'configure';

const ALLOWED: Record<Action, Role[]> = {
  read: ['admin', 'steward', 'auditor', 'viewer'],
  annotate: ['admin', 'steward'],
  classify: ['admin', 'steward'],
  evaluate: ['admin', 'steward', 'auditor'],
  audit: ['admin', 'auditor'],
  report: ['admin', 'auditor'],
  respond: ['admin', 'steward'],
  configure: ['admin'],
};

/** Mirrors the server's @Secured roles; the server still refuses whatever a role may not do. */
export function can(me: Me | null, action: Action): boolean {
  return me !== null && ALLOWED[action].includes(me.role);
}

interface Session {
  me: Me | null;
  namespaces: string[];
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
  refreshNamespaces: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children, initial = null }: { children: ReactNode; initial?: Me | null }) {
  const [me, setMe] = useState<Me | null>(initial);
  const [checking, setChecking] = useState(initial === null && storedToken() !== null);
  const [namespaces, setNamespaces] = useState<string[]>([]);

  const signOut = useCallback(() => {
    storeToken(null);
    setMe(null);
  }, []);

  const refreshNamespaces = useCallback(() => {
    api.namespaces().then((list) => setNamespaces(list.map((n) => n.name)), () => {});
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(signOut);
    if (initial === null && storedToken() !== null) {
      api.me().then(setMe, () => storeToken(null)).finally(() => setChecking(false));
    }
  }, [initial, signOut]);

  useEffect(() => {
    if (me !== null && me.role !== 'producer') {
      refreshNamespaces();
    }
  }, [me, refreshNamespaces]);

  const signIn = useCallback(async (token: string) => {
    const who = await api.me(token);
    storeToken(token);
    setMe(who);
  }, []);

  const value = useMemo(() => ({ me, namespaces, signIn, signOut, refreshNamespaces }), [me, namespaces, signIn, signOut, refreshNamespaces]);
  if (checking) {
    return <p className="loading">Checking your session…</p>;
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) {
    throw new Error('useSession outside SessionProvider');
  }
  return session;
}
