/**
 * Mounting shared by the desktop and browser entries: the stylesheet, the unload guard and the App.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { hasUnsavedWork } from './editor/session.ts';
import './styles.css';

/** Mounts the App on #root and guards the window against closing with changes not yet on disk. */
export function mountApp(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('The page has no #root element.');
  window.addEventListener('beforeunload', (event) => {
    if (!hasUnsavedWork()) return;
    // Chromium shows its own "Leave site?" prompt; Electron asks main through 'will-prevent-unload'.
    event.preventDefault();
    event.returnValue = '';
  });
  // Files dropped outside the editor must never replace the page.
  for (const type of ['dragover', 'drop'] as const) {
    window.addEventListener(type, (event) => {
      if (!(event.target instanceof Element) || !event.target.closest('.ProseMirror')) event.preventDefault();
    });
  }
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

/** Shows a message instead of the App when it cannot start at all. */
export function showFatal(message: string): void {
  const root = document.getElementById('root');
  if (!root) return;
  const box = document.createElement('div');
  box.className = 'fatal';
  box.setAttribute('role', 'alert');
  box.textContent = message;
  root.replaceChildren(box);
}
