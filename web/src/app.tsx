// The app: restores the session, then shows the login page or, for a signed-in user, the layout with the page the
// address names, if their role may open it.
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { homePath, may } from './access';
import { t } from './i18n';
import { Layout, ProgressIndicator, TestClockBanner } from './layout';
import { closeLive } from './live';
import { dropDrafts } from './draft';
import { matchPath, navigate, queryParam, safeLocalPath, useLocation } from './router';
import { routes } from './routes';
import { onSignedOut, useSession } from './session';
import { NotFound, NotPermitted } from './views/errors';
import { LoginPage } from './views/login';

onSignedOut(() => closeLive());

function Loading({ unreachable = false }: { unreachable?: boolean }): JSX.Element {
  return (
    <p class="app-loading" role="status">
      {unreachable ? t('error.network') : t('app.loading')}
    </p>
  );
}

export function App(): JSX.Element {
  const session = useSession();
  const { path, search } = useLocation();
  const user = session.user;

  useEffect(() => {
    if (session.status === 'signed_out' && path !== '/login') {
      const here = path + search;
      navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    } else if (session.status === 'signed_in' && user && (path === '/' || path === '/login')) {
      // Signing in on /login?next=... returns to that place (the login page asks the same; whichever runs first wins).
      const next = path === '/login' ? safeLocalPath(queryParam(search, 'next')) : null;
      navigate(next && next !== '/' ? next : homePath(user.role), { replace: true });
    }
  }, [session.status, user, path, search]);

  useEffect(() => {
    // One person's drafts are not kept for the next user of this tab (draft.ts).
    if (user) dropDrafts(user.email);
  }, [user]);

  if (session.status === 'loading' || session.status === 'unreachable') {
    return <Loading unreachable={session.status === 'unreachable'} />;
  }
  if (session.status === 'signed_out' || !user) {
    if (path !== '/login') return <Loading />;
    return (
      <>
        {session.testClock ? <TestClockBanner /> : null}
        <ProgressIndicator />
        <LoginPage search={search} reason={session.reason} />
      </>
    );
  }
  if (path === '/' || path === '/login') return <Loading />;

  let page: JSX.Element = <NotFound path={path} role={user.role} />;
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) {
      page = may(user.role, route.permission) ? <route.view params={params} /> : <NotPermitted role={user.role} />;
      break;
    }
  }
  return (
    <Layout user={user} path={path} testClock={session.testClock}>
      {page}
    </Layout>
  );
}
