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
  // What heads every printed page of the screen (print.tsx's PrintHeader); hidden on screen.
  readonly printHeader?: ComponentChildren;
}

export function Page({ title, children, actions, printHeader }: PageProps): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
    // Leave focus alone when it is already inside the page (a form the user is in).
    if (!heading.current?.closest('main')?.contains(document.activeElement)) heading.current?.focus();
  }, [title]);
  // The frame is a table, laid out only in print: Chromium repeats a table's <thead> at the top of every printed page
  // it breaks onto, and does so for no other element (styles/print.css). On screen it takes no part in the layout
  // and, as role="presentation", none in what assistive technology reads.
  return (
    <table class="print-frame" role="presentation">
      {printHeader ? (
        <thead class="print-frame-head">
          <tr>
            <td>{printHeader}</td>
          </tr>
        </thead>
      ) : null}
      <tbody class="print-frame-body">
        <tr>
          <td>
            <div class="page-head">
              <h1 ref={heading} tabIndex={-1}>
                {title}
              </h1>
              {actions ? <div class="page-actions">{actions}</div> : null}
            </div>
            {children}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
