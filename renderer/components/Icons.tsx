/**
 * The few line icons of the chrome, drawn inline so the strict CSP needs no image or font source.
 */
import type { ReactNode } from 'react';

function Svg({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

/** The icon names available. */
export type IconName =
  | 'plus'
  | 'sample'
  | 'rename'
  | 'duplicate'
  | 'trash'
  | 'restore'
  | 'delete-forever'
  | 'undo'
  | 'redo'
  | 'lettered'
  | 'bullets'
  | 'footnote'
  | 'table'
  | 'outline'
  | 'close'
  | 'warning'
  | 'check'
  | 'spinner'
  | 'document'
  | 'people'
  | 'computer'
  | 'share'
  | 'server'
  | 'signal'
  | 'sign-out';

/** One icon by name. */
export function Icon({ name, size }: { name: IconName; size?: number }) {
  switch (name) {
    case 'plus':
      return <Svg size={size}><path d="M8 3v10M3 8h10" /></Svg>;
    case 'sample':
      return <Svg size={size}><path d="M4 2.5h5.5L12 5v8.5H4z" /><path d="M9.5 2.5V5H12" /><path d="M6 8h4M6 10.5h4" /></Svg>;
    case 'document':
      return <Svg size={size}><path d="M4 2.5h5.5L12 5v8.5H4z" /><path d="M9.5 2.5V5H12" /></Svg>;
    case 'rename':
      return <Svg size={size}><path d="M10.5 3.5l2 2L6 12H4v-2z" /></Svg>;
    case 'duplicate':
      return <Svg size={size}><rect x="5.5" y="5.5" width="7.5" height="7.5" rx="1" /><path d="M3 10.5V4a1 1 0 0 1 1-1h6.5" /></Svg>;
    case 'trash':
      return <Svg size={size}><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" /></Svg>;
    case 'restore':
      return <Svg size={size}><path d="M3.5 8a4.5 4.5 0 1 0 1.3-3.2" /><path d="M3.5 2.5v2.8h2.8" /></Svg>;
    case 'delete-forever':
      return <Svg size={size}><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5M6.8 7.3l2.4 2.9M9.2 7.3l-2.4 2.9" /></Svg>;
    case 'undo':
      return <Svg size={size}><path d="M5.5 4L3 6.5 5.5 9" /><path d="M3 6.5h6.5a3.5 3.5 0 0 1 0 7H7" /></Svg>;
    case 'redo':
      return <Svg size={size}><path d="M10.5 4L13 6.5 10.5 9" /><path d="M13 6.5H6.5a3.5 3.5 0 0 0 0 7H9" /></Svg>;
    case 'lettered':
      return (
        <Svg size={size}>
          <path d="M7 4.5h6.5M7 8h6.5M7 11.5h6.5" />
          <text x="0.6" y="6.4" fontSize="5.2" fill="currentColor" stroke="none" fontFamily="serif">(a)</text>
          <text x="0.6" y="13.4" fontSize="5.2" fill="currentColor" stroke="none" fontFamily="serif">(b)</text>
        </Svg>
      );
    case 'bullets':
      return <Svg size={size}><path d="M6.5 4.5h7M6.5 8h7M6.5 11.5h7" /><circle cx="3.2" cy="4.5" r=".9" fill="currentColor" /><circle cx="3.2" cy="8" r=".9" fill="currentColor" /><circle cx="3.2" cy="11.5" r=".9" fill="currentColor" /></Svg>;
    case 'footnote':
      return (
        <Svg size={size}>
          <path d="M2.5 12.5h7" />
          <text x="9.6" y="7" fontSize="7" fill="currentColor" stroke="none" fontFamily="serif">1</text>
          <path d="M2.5 8.5h5" />
        </Svg>
      );
    case 'table':
      return <Svg size={size}><rect x="2.5" y="3" width="11" height="10" rx="1" /><path d="M2.5 6.3h11M2.5 9.6h11M6.2 3v10M9.8 3v10" /></Svg>;
    case 'outline':
      return <Svg size={size}><path d="M3 4h10M5.5 8h7.5M5.5 12h7.5" /></Svg>;
    case 'close':
      return <Svg size={size}><path d="M4 4l8 8M12 4l-8 8" /></Svg>;
    case 'warning':
      return <Svg size={size}><path d="M8 2.5l6 11H2z" /><path d="M8 6.5v3.2M8 11.6v.1" /></Svg>;
    case 'check':
      return <Svg size={size}><path d="M3.5 8.5l3 3 6-7" /></Svg>;
    case 'spinner':
      return <Svg size={size}><path d="M8 2.5a5.5 5.5 0 1 0 5.5 5.5" /></Svg>;
    case 'people':
      return <Svg size={size}><circle cx="6" cy="5.5" r="2.2" /><path d="M2 13c.4-2.3 2-3.6 4-3.6s3.6 1.3 4 3.6" /><path d="M10.5 3.6a2 2 0 0 1 0 3.8M11.6 9.6c1.3.4 2.1 1.6 2.4 3.4" /></Svg>;
    case 'computer':
      return <Svg size={size}><rect x="2.5" y="3" width="11" height="7.5" rx="1" /><path d="M6 13.5h4M8 10.5v3" /></Svg>;
    case 'share':
      return <Svg size={size}><circle cx="4" cy="8" r="1.7" /><circle cx="12" cy="4" r="1.7" /><circle cx="12" cy="12" r="1.7" /><path d="M5.5 7.2l5-2.4M5.5 8.8l5 2.4" /></Svg>;
    case 'server':
      return <Svg size={size}><rect x="2.5" y="2.5" width="11" height="4.5" rx="1" /><rect x="2.5" y="9" width="11" height="4.5" rx="1" /><path d="M5 4.75h.1M5 11.25h.1" /></Svg>;
    case 'signal':
      return <Svg size={size}><path d="M2.5 6.5a8 8 0 0 1 11 0M4.5 8.8a5 5 0 0 1 7 0M6.6 11a2 2 0 0 1 2.8 0" /></Svg>;
    case 'sign-out':
      return <Svg size={size}><path d="M9.5 3H4v10h5.5" /><path d="M7.5 8h6M11.5 5.8L13.7 8l-2.2 2.2" /></Svg>;
  }
}
