/**
 * The formatting toolbar above the page: marks, block kinds, lists, footnote, table, undo and redo, and the
 * outline toggle. Buttons keep the editor's selection (they never take focus on mouse down).
 */
import { memo, type ReactNode } from 'react';
import type { EditorAction, EditorController, ToolbarState } from '../editor/editorController.ts';
import { Icon, type IconName } from './Icons.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

interface ToolProps {
  action: EditorAction;
  label: string;
  shortcut?: string;
  pressed?: boolean;
  controller: EditorController | null;
  children: ReactNode;
  className?: string;
}

function Tool(props: ToolProps) {
  const { controller } = props;
  const enabled = !!controller && !controller.readOnly && (props.pressed || controller.canRun(props.action));
  const tooltip = props.shortcut ? `${props.label} (${props.shortcut})` : props.label;
  return (
    <button
      type="button"
      className={`tool${props.pressed ? ' is-active' : ''}${props.className ? ` ${props.className}` : ''}`}
      aria-label={props.label}
      aria-pressed={props.pressed === undefined ? undefined : props.pressed}
      title={tooltip}
      disabled={!enabled}
      data-action={props.action}
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => controller?.run(props.action)}
    >
      {props.children}
    </button>
  );
}

function Glyph({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span className={`glyph${className ? ` ${className}` : ''}`} aria-hidden="true">
      {children}
    </span>
  );
}

/** The toolbar's props. */
export interface ToolbarProps {
  controller: EditorController | null;
  state: ToolbarState | null;
  outlineVisible: boolean;
  onToggleOutline: () => void;
  /** Opens the Export dialog; the button is left out without it. */
  onExport?: () => void;
}

/** The formatting toolbar; re-renders only when the toolbar state object changes. */
export const Toolbar = memo(function Toolbar({ controller, state, outlineVisible, onToggleOutline, onExport }: ToolbarProps) {
  const s = state;
  const icon = (name: IconName) => <Icon name={name} />;
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="toolbar">
      <div className="tool-group">
        <Tool controller={controller} action="undo" label="Undo" shortcut={`${mod}Z`}>
          {icon('undo')}
        </Tool>
        <Tool controller={controller} action="redo" label="Redo" shortcut={isMac ? '⇧⌘Z' : 'Ctrl+Y'}>
          {icon('redo')}
        </Tool>
      </div>
      <div className="tool-group">
        <Tool controller={controller} action="bold" label="Bold" shortcut={`${mod}B`} pressed={!!s?.bold}>
          <Glyph className="g-bold">B</Glyph>
        </Tool>
        <Tool controller={controller} action="italic" label="Italic" shortcut={`${mod}I`} pressed={!!s?.italic}>
          <Glyph className="g-italic">I</Glyph>
        </Tool>
        <Tool controller={controller} action="underline" label="Underline" shortcut={`${mod}U`} pressed={!!s?.underline}>
          <Glyph className="g-underline">U</Glyph>
        </Tool>
      </div>
      <div className="tool-group" role="group" aria-label="Paragraph style">
        <Tool controller={controller} action="numbered_paragraph" label="Numbered paragraph" pressed={s?.block === 'numbered_paragraph'} className="wide">
          <Glyph className="g-text">1.&nbsp;¶</Glyph>
        </Tool>
        <Tool controller={controller} action="paragraph" label="Unnumbered paragraph" pressed={s?.block === 'paragraph'} className="wide">
          <Glyph className="g-text">¶</Glyph>
        </Tool>
        <Tool controller={controller} action="heading1" label="Section heading (A.)" pressed={s?.block === 'heading1'} className="wide">
          <Glyph className="g-text g-bold">A.</Glyph>
        </Tool>
        <Tool controller={controller} action="heading2" label="Subsection heading (1.)" pressed={s?.block === 'heading2'} className="wide">
          <Glyph className="g-text g-italic">1.</Glyph>
        </Tool>
      </div>
      <div className="tool-group">
        <Tool controller={controller} action="lettered_list" label="Lettered sub-paragraphs" pressed={!!s?.letteredList}>
          {icon('lettered')}
        </Tool>
        <Tool controller={controller} action="bullet_list" label="Bullet list" pressed={!!s?.bulletList}>
          {icon('bullets')}
        </Tool>
      </div>
      <div className="tool-group">
        <Tool controller={controller} action="footnote" label="Insert footnote">
          {icon('footnote')}
        </Tool>
        <Tool controller={controller} action="table" label="Insert table">
          {icon('table')}
        </Tool>
      </div>
      <div className="tool-spacer" />
      {onExport && (
        <div className="tool-group">
          <button
            type="button"
            className="tool wide"
            aria-label="Export"
            title={`Export (${isMac ? '⇧⌘E' : 'Shift+Ctrl+E'})`}
            data-testid="export-open"
            onMouseDown={(event) => event.preventDefault()}
            onClick={onExport}
          >
            <Glyph className="g-text">Export…</Glyph>
          </button>
        </div>
      )}
      <div className="tool-group">
        <button
          type="button"
          className={`tool${outlineVisible ? ' is-active' : ''}`}
          aria-label="Show outline"
          aria-pressed={outlineVisible}
          title="Outline"
          data-testid="toggle-outline"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onToggleOutline}
        >
          {icon('outline')}
        </button>
      </div>
    </div>
  );
});
