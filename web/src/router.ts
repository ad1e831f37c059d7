// A small router over the History API: links change the address without reloading the page, the back and forward
// buttons work, and a pattern such as /patients/:id hands its parameters to the view. The route table lives in
// routes.tsx; this module knows nothing of screens.
import { h, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Params = Readonly<Record<string, string>>;

export interface Location {
  readonly path: string;
  readonly search: string;
}

const listeners = new Set<() => void>();

function current(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

// Goes to `to` (a path with an optional query) without reloading; `replace` keeps the history length (redirects).
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const here = window.location.pathname + window.location.search;
  if (to !== here) {
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
  }
  for (const listener of listeners) listener();
}

// The current location; re-renders the caller when it changes.
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => setLocation(current());
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

// The parameters of `path` under `pattern` (":name" segments match one non-empty segment), or null.
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i] as string;
    const value = have[i] as string;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (segment !== value) {
      return null;
    }
  }
  return params;
}

// A query parameter of the current address.
export function queryParam(search: string, name: string): string | null {
  return new URLSearchParams(search).get(name);
}

// Only a same-origin path may be a redirect target (?next=): never another site.
export function safeLocalPath(target: string | null): string | null {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return null;
  return target;
}

type LinkProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

// An <a> that navigates in place; a modified click (new tab, download) and a middle click keep the browser's way.
export function Link(props: LinkProps): JSX.Element {
  const { href, onClick, ...rest } = props;
  const click = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>): void => {
    if (onClick) onClick(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return h('a', { ...rest, href, onClick: click });
}
