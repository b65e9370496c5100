/**
 * Entry of the desktop renderer: the preload has already installed `window.penholder`; mount the App.
 */
import { mountApp } from './mount.tsx';

mountApp();
