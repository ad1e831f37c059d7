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
import { SecondFactorPage } from './views/second-factor';

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

  // The one place that moves between the login page and the app. It reads the address as it is now, not as this
  // render saw it: a sign-in or sign-out may have moved it since.
  useEffect(() => {
    const here = window.location.pathname;
    if (session.status === 'signed_out' && here !== '/login') {
      const target = here + window.location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`, { replace: true });
    } else if (session.status === 'signed_in' && user && (here === '/' || here === '/login')) {
      const next = safeLocalPath(queryParam(window.location.search, 'next'));
      const usable = next !== null && !next.startsWith('/login') && next !== '/';
      navigate(usable ? next : homePath(user.role), { replace: true });
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
        <LoginPage reason={session.reason} />
      </>
    );
  }
  if (path === '/' || path === '/login') return <Loading />;
  if (user.enrolmentRequired) {
    // The session may only set up the second factor its role requires (docs/api.md): no navigation, no live channel.
    return (
      <div class="login-shell">
        {session.testClock ? <TestClockBanner /> : null}
        <ProgressIndicator />
        <main id="main" class="login-card" tabIndex={-1}>
          <SecondFactorPage required />
        </main>
      </div>
    );
  }

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
