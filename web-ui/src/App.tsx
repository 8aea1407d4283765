import { Link, match, useLocation } from './router';
import { can, useSession } from './session';
import { SignIn } from './pages/signin/SignIn';
import { Home } from './pages/home/Home';
import { SearchPage } from './pages/search/SearchPage';
import { SearchBox } from './components/SearchBox';
import { DatasetPage } from './pages/dataset/DatasetPage';
import { JobPage } from './pages/job/JobPage';
import { LineagePage } from './pages/lineage/LineagePage';
import { ImpactPage } from './pages/impact/ImpactPage';
import { CompliancePage } from './pages/compliance/CompliancePage';
import { AuditPage } from './pages/audit/AuditPage';
import { NamespacePage } from './pages/namespace/NamespacePage';
import { ReviewPage } from './pages/review/ReviewPage';
import { OperationsPage } from './pages/operations/OperationsPage';
import { IncidentPage } from './pages/incident/IncidentPage';
import { ConnectionsPage } from './pages/connections/ConnectionsPage';

function Page() {
  const { path, params } = useLocation();
  const { me } = useSession();
  let m: Record<string, string> | null;
  if (path === '/' || path === '') {
    return <Home />;
  }
  if (path === '/search') {
    return <SearchPage q={params.get('q') ?? ''} />;
  }
  if ((m = match('/datasets/:namespace/:name', path))) {
    return <DatasetPage namespace={m.namespace as string} name={m.name as string} />;
  }
  if ((m = match('/namespaces/:namespace', path))) {
    return <NamespacePage namespace={m.namespace as string} />;
  }
  if ((m = match('/jobs/:namespace/:name', path))) {
    return <JobPage namespace={m.namespace as string} name={m.name as string} />;
  }
  if (path === '/lineage') {
    return <LineagePage key={params.get('node') ?? ''} params={params} />;
  }
  if (path === '/impact') {
    return <ImpactPage params={params} />;
  }
  if (path === '/compliance') {
    return <CompliancePage params={params} />;
  }
  if (path === '/review') {
    return <ReviewPage />;
  }
  if (path === '/operations') {
    return <OperationsPage />;
  }
  if ((m = match('/incidents/:id', path))) {
    return <IncidentPage id={m.id as string} />;
  }
  if (path === '/connections' && can(me, 'configure')) {
    return <ConnectionsPage />;
  }
  if (path === '/audit' && can(me, 'audit')) {
    return <AuditPage />;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at this address. <Link to="/">Back to the start</Link>
      </p>
    </section>
  );
}

function Header() {
  const { me, signOut } = useSession();
  const { params, path } = useLocation();
  return (
    <header className="top">
      <Link to="/" className="brand">
        Waymark
      </Link>
      <nav aria-label="Main">
        <Link to="/">Home</Link>
        <Link to="/impact">Impact</Link>
        <Link to="/compliance">Compliance</Link>
        <Link to="/review">Review</Link>
        <Link to="/operations">Operations</Link>
        {can(me, 'audit') && <Link to="/audit">Audit log</Link>}
        {can(me, 'configure') && <Link to="/connections">Connections</Link>}
      </nav>
      <SearchBox key={path === '/search' ? params.get('q') ?? '' : ''} initial={path === '/search' ? params.get('q') ?? '' : ''} />
      {me && (
        <div className="who">
          <span className="who-name">{me.name}</span> <span className={`role role-${me.role}`} data-testid="role">{me.role}</span>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}

export function App() {
  const { me } = useSession();
  if (me === null) {
    return <SignIn />;
  }
  if (me.role === 'producer') {
    return (
      <main className="narrow">
        <h1>Producer token</h1>
        <p>This token may only post lineage events; the catalog needs a viewer, steward, auditor or admin token.</p>
        <SignIn />
      </main>
    );
  }
  return (
    <>
      <Header />
      <main>
        <Page />
      </main>
    </>
  );
}
