import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { useSession } from '../../session';

export function SignIn() {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The server does not know this token (or it was revoked).' : String((err as Error).message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <h1>Sign in to Waymark</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input id="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        <button type="submit" disabled={busy || !token.trim()}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p className="hint">
        An admin creates tokens with <code>java -jar waymark.jar token create --role viewer --name you</code>; the first admin token is in{' '}
        <code>data/admin.token</code>. The token stays in this tab only.
      </p>
    </main>
  );
}
