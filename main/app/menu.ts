/**
 * The native application menu. Items the editor must carry out (undo in a Y.Doc, rename in the list, ...)
 * are sent to the focused window as `menuCommand` events; the rest are Electron roles.
 */
import { BrowserWindow, Menu, type BaseWindow, type MenuItemConstructorOptions } from 'electron';
import { ipcEventChannel, type IpcEvents, type MenuCommand } from '../../shared/ipc.ts';

/** Sends one menu command to the window the click came from, or else the focused one. */
export function sendMenuCommand(command: MenuCommand, target?: BaseWindow): void {
  const window = (target instanceof BrowserWindow ? target : null) ?? BrowserWindow.getFocusedWindow();
  if (!window || window.isDestroyed()) return;
  const payload: IpcEvents['menuCommand'] = { command };
  window.webContents.send(ipcEventChannel('menuCommand'), payload);
}

/** Builds the menu; `dev` adds the developer tools. */
export function buildApplicationMenu(options: { dev: boolean; platform: NodeJS.Platform }): Menu {
  // A keyboard shortcut reaches the menu only when the page did not handle the key itself, so Mod-Z in the
  // editor stays the editor's, and the menu item covers clicks and focus outside the editor.
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: (_item, window) => sendMenuCommand(name, window),
  });
  const mac = options.platform === 'darwin';

  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            label: 'Penholder',
            submenu: [
              command('About Penholder', 'about'),
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        command('New Document', 'new-document', 'CmdOrCtrl+N'),
        command('New from Sample', 'new-from-sample', 'Shift+CmdOrCtrl+N'),
        command('Import Word Document…', 'import-docx'),
        { type: 'separator' },
        command('Import Proposals from Word…', 'import-proposals'),
        command('Export…', 'export-document', 'Shift+CmdOrCtrl+E'),
        { type: 'separator' },
        command('Rename…', 'rename-document', 'F2'),
        command('Duplicate', 'duplicate-document'),
        command('Move to Trash', 'trash-document'),
        { type: 'separator' },
        command('Documents', 'show-documents', 'CmdOrCtrl+O'),
        command('Trash', 'show-trash'),
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', accelerator: 'CmdOrCtrl+Q' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        command('Undo', 'undo', 'CmdOrCtrl+Z'),
        command('Redo', 'redo', mac ? 'Shift+CmdOrCtrl+Z' : 'CmdOrCtrl+Y'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { type: 'separator' },
        command('Select All', 'select-all', 'CmdOrCtrl+A'),
      ],
    },
    {
      label: '&View',
      submenu: [
        command('Outline', 'toggle-outline', 'Shift+CmdOrCtrl+O'),
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.dev ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
      ],
    },
    ...(mac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: '&Help',
      role: 'help',
      submenu: mac ? [] : [command('About Penholder', 'about')],
    },
  ];
  return Menu.buildFromTemplate(template);
}
