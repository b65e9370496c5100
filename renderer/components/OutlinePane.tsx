/**
 * The outline on the right: sections with their letters, subsections, and every numbered paragraph with its
 * first words. Clicking an entry puts the caret there; the entry holding the caret is highlighted.
 */
import { memo, useEffect, useRef } from 'react';
import type { OutlineEntry } from '../editor/outline.ts';

/** The outline pane's props. */
export interface OutlinePaneProps {
  entries: readonly OutlineEntry[];
  currentIndex: number;
  onJump: (pid: string) => void;
}

const OutlineItem = memo(function OutlineItem(props: { entry: OutlineEntry; current: boolean; onJump: (pid: string) => void }) {
  const { entry } = props;
  return (
    <li className={`outline-item level-${entry.level} kind-${entry.kind}${props.current ? ' is-current' : ''}`}>
      <button
        type="button"
        data-testid="outline-item"
        data-pid={entry.pid}
        data-kind={entry.kind}
        aria-current={props.current ? 'location' : undefined}
        title={entry.kind === 'paragraph' ? `Paragraph ${entry.label}: ${entry.text}` : `${entry.label} ${entry.text}`}
        onClick={() => props.onJump(entry.pid)}
      >
        <span className="outline-label">{entry.label}</span>
        <span className="outline-text">{entry.text}</span>
      </button>
    </li>
  );
});

/** The outline pane; re-renders only when the outline or the current entry changes. */
export const OutlinePane = memo(function OutlinePane({ entries, currentIndex, onJump }: OutlinePaneProps) {
  const list = useRef<HTMLOListElement>(null);
  // Keys follow pids so inserting a paragraph re-renders one entry, not all after it; a duplicate falls back.
  const seen = new Set<string>();
  const keys = entries.map((entry, index) => {
    const key = entry.pid && !seen.has(entry.pid) ? entry.pid : `#${index}`;
    seen.add(key);
    return key;
  });
  useEffect(() => {
    // Keep the highlighted entry in view as the caret moves, without stealing focus.
    const current = list.current?.querySelector<HTMLElement>('[aria-current="location"]');
    if (current && !list.current?.matches(':hover')) current.scrollIntoView({ block: 'nearest' });
  }, [currentIndex]);
  return (
    <nav className="outline" aria-label="Outline" data-testid="outline">
      <h2 className="pane-title">Outline</h2>
      {entries.length === 0 ? (
        <p className="outline-empty">Headings and numbered paragraphs appear here.</p>
      ) : (
        <ol ref={list} className="outline-list">
          {entries.map((entry, index) => (
            <OutlineItem key={keys[index]} entry={entry} current={index === currentIndex} onJump={onJump} />
          ))}
        </ol>
      )}
    </nav>
  );
});
