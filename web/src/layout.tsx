// The authenticated layout: the skip link, the test-clock banner, the header with the role's navigation, the live
// status and sign-out, the global progress indicator, the idle warning, and the page.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { may } from './access';
import { formatDuration } from './format';
import { t } from './i18n';
import { useIdleExpiry } from './idle';
import { useLiveStatus } from './live';
import { isBusy, onBusyChange } from './progress';
import { Link } from './router';
import { routes } from './routes';
import { logout, type User } from './session';

export function TestClockBanner(): JSX.Element {
  return (
    <div class="test-clock-banner" role="status" title={t('app.testClockDetail')}>
      <strong>{t('app.testClock')}</strong>
    </div>
  );
}

// A thin bar at the top and a screen-reader announcement while any request has taken over 300 ms.
export function ProgressIndicator(): JSX.Element {
  const [busy, setBusy] = useState(isBusy);
  useEffect(() => onBusyChange(setBusy), []);
  return (
    <div class="progress-slot" role="status" aria-live="polite">
      {busy ? (
        <div class="progress" data-testid="progress">
          <span class="visually-hidden">{t('app.progress')}</span>
        </div>
      ) : null}
    </div>
  );
}

export function LiveStatus(): JSX.Element | null {
  const { status, retryAt } = useLiveStatus();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (status !== 'reconnecting') return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [status]);
  if (status === 'idle') return null;
  let text: string;
  if (status === 'open') text = t('live.open');
  else if (status === 'connecting') text = t('live.connecting');
  else if (retryAt !== undefined && retryAt - Date.now() >= 1000)
    text = t('live.reconnectingIn', { duration: formatDuration(retryAt - Date.now()) });
  else text = t('live.reconnecting');
  return (
    <p class={`live-status live-${status}`} role="status" data-live-status={status}>
      <span class="live-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

// The warning before idle sign-out, as a modal dialog that takes focus: the person may be across the room.
function IdleGuard(): JSX.Element | null {
  const idle = useIdleExpiry();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (idle.warning && !element.open) element.showModal();
    if (!idle.warning && element.open) element.close();
  }, [idle.warning]);
  return (
    <dialog ref={dialog} class="idle-dialog" aria-labelledby="idle-title" onCancel={idle.stay}>
      <h2 id="idle-title">{t('idle.title')}</h2>
      <p>{t('idle.warning', { duration: formatDuration(idle.remainingMs) })}</p>
      <button type="button" class="button-primary" onClick={idle.stay}>
        {t('idle.stay')}
      </button>
    </dialog>
  );
}

function Navigation({ user, path }: { user: User; path: string }): JSX.Element {
  const entries = routes.filter((route) => route.nav && may(user.role, route.permission));
  return (
    <nav class="main-nav" aria-label={t('nav.label')}>
      <ul>
        {entries.map((route) => {
          const current = path === route.pattern || path.startsWith(`${route.pattern}/`);
          return (
            <li key={route.pattern}>
              <Link href={route.pattern} aria-current={current ? 'page' : undefined}>
                {route.nav ? t(route.nav) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export interface LayoutProps {
  readonly user: User;
  readonly path: string;
  readonly testClock: boolean;
  readonly children?: ComponentChildren;
}

export function Layout({ user, path, testClock, children }: LayoutProps): JSX.Element {
  return (
    <div class={`shell role-${user.role}`}>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      {testClock ? <TestClockBanner /> : null}
      <ProgressIndicator />
      <header class="app-header">
        <span class="brand">{t('app.name')}</span>
        <Navigation user={user} path={path} />
        <div class="header-end">
          <LiveStatus />
          <span class="who">{t('nav.signedInAs', { email: user.email, role: t(`role.${user.role}`) })}</span>
          {may(user.role, 'settings.read') ? (
            <Link href="/account/second-factor" class="button-quiet">
              {t('nav.secondFactor')}
            </Link>
          ) : null}
          <button type="button" class="button-quiet" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" class="app-main" tabIndex={-1}>
        {children}
      </main>
      <IdleGuard />
    </div>
  );
}
