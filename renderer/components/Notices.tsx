/**
 * Short messages about operations that failed (or need a word), shown at the bottom right and dismissible.
 */
import { useEffect, useRef } from 'react';
import { Icon } from './Icons.tsx';

/** One message. */
export interface Notice {
  id: number;
  message: string;
  tone: 'error' | 'info';
}

/** How long an information message stays. */
const INFO_MS = 6000;

/** The stack of messages; each info message leaves by itself after a while, errors stay until dismissed. */
export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  // One timer per message, started when it appears: a newer message must not give the older ones their time again.
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    const shown = new Set(notices.map((n) => n.id));
    for (const [id, timer] of timers.current) {
      if (shown.has(id)) continue;
      clearTimeout(timer);
      timers.current.delete(id);
    }
    for (const notice of notices) {
      if (notice.tone !== 'info' || timers.current.has(notice.id)) continue;
      timers.current.set(
        notice.id,
        setTimeout(() => {
          timers.current.delete(notice.id);
          dismiss.current(notice.id);
        }, INFO_MS),
      );
    }
  }, [notices]);
  useEffect(() => {
    const running = timers.current;
    return () => {
      for (const timer of running.values()) clearTimeout(timer);
      running.clear();
    };
  }, []);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span className="notice-text">{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => onDismiss(notice.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
