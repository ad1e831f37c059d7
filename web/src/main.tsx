// Entry point: styles, then the app into #app once the session is known.
import { render } from 'preact';
import './styles/tokens.css';
import './styles/app.css';
import './styles/print.css';
import { App } from './app';
import { restoreSession } from './session';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void restoreSession();
}
