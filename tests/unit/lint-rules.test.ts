/**
 * The import direction of DESIGN.md is enforced by lint, and each message names the path to use instead.
 */
import { describe, expect, test } from 'vitest';
import { ESLint } from 'eslint';
import { repoRootForTests } from './repo-root.ts';

const eslint = new ESLint({ cwd: repoRootForTests });

/** The restricted-import messages ESLint gives for `code` placed at `filePath`. */
async function importMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction', () => {
  test('shared/ may not import main/, renderer/, Node built-ins or electron', async () => {
    expect(await importMessages('shared/model/x.ts', "import { Workspace } from '../../main/storage/index.ts';\nvoid Workspace;\n")).toEqual([
      expect.stringContaining('shared/ never imports main/'),
    ]);
    expect(await importMessages('shared/model/x.ts', "import { App } from '../../renderer/App.tsx';\nvoid App;\n")).toEqual([
      expect.stringContaining('shared/ never imports renderer/'),
    ]);
    expect(await importMessages('shared/model/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).toEqual([
      expect.stringContaining('main/storage/'),
    ]);
    expect(await importMessages('shared/model/x.ts', "import { app } from 'electron';\nvoid app;\n")).toEqual([
      expect.stringContaining('main/app/'),
    ]);
  });

  test('the renderer reaches main only through shared/ipc.ts', async () => {
    expect(await importMessages('renderer/editor/x.ts', "import { Workspace } from '../../main/storage/index.ts';\nvoid Workspace;\n")).toEqual([
      expect.stringContaining('shared/ipc.ts'),
    ]);
    expect(await importMessages('renderer/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).toEqual([
      expect.stringContaining('window.penholder'),
    ]);
  });

  test("only main/app/ and main/preload.ts import 'electron'", async () => {
    expect(await importMessages('main/storage/x.ts', "import { app } from 'electron';\nvoid app;\n")).toEqual([
      expect.stringContaining('Only main/app/ and main/preload.ts'),
    ]);
    expect(await importMessages('main/app/x.ts', "import { app } from 'electron';\nvoid app;\n")).toEqual([]);
    expect(await importMessages('main/preload.ts', "import { contextBridge } from 'electron';\nvoid contextBridge;\n")).toEqual([]);
  });

  test('allowed directions pass', async () => {
    expect(await importMessages('main/services/x.ts', "import { schema } from '../../shared/schema/index.ts';\nvoid schema;\n")).toEqual([]);
    expect(await importMessages('renderer/x.ts', "import { schema } from '../shared/schema/index.ts';\nvoid schema;\n")).toEqual([]);
  });
});
