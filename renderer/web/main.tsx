/**
 * Entry of the browser build: installs the WebSocket bridge as `window.penholder` (the token comes from the
 * page address the web host printed), then mounts the same App as the desktop shell.
 */
import { createWebBridge, readBridgeToken } from './bridge.ts';
import { mountApp, showFatal } from '../mount.tsx';

const token = readBridgeToken(location.search);
if (!token) {
  showFatal('This page needs the address printed by "npm run web", including its ?token=… part.');
} else {
  window.penholder = createWebBridge(location.origin, token);
  mountApp();
}
