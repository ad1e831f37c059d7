// The frame of every screen: its heading (the page's one <h1>), the document title, and focus moved to the heading
// when the screen opens, so keyboard and screen-reader users start at the new content (WCAG 2.4.3 focus order).
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from './i18n';

export interface PageProps {
  readonly title: string;
  readonly children?: ComponentChildren;
  // Controls beside the heading (a screen's main actions).
  readonly actions?: ComponentChildren;
}

export function Page({ title, children, actions }: PageProps): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
    // Leave focus alone when it is already inside the page (a form the user is in).
    if (!heading.current?.closest('main')?.contains(document.activeElement)) heading.current?.focus();
  }, [title]);
  return (
    <>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </div>
      {children}
    </>
  );
}
