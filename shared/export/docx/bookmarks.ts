/**
 * The hidden Word bookmark that names a paragraph's pid, so a Word file that went out of Penholder and comes back
 * with tracked changes says exactly which paragraph each of its paragraphs was, whatever its number or wording now.
 * The exporters write one around the content of every textblock that has a pid; shared/import reads them back.
 *
 * Word's rules for a bookmark name: at most 40 characters, letters, digits and "_" only, a leading "_" hides it
 * (Word keeps hidden bookmarks through editing and tracked changes but lists them only on request). Word compares
 * names without regard to case, so only lower-case letters and digits stand for themselves; every other character
 * of a pid (including upper-case letters and "_" itself) is written as "_" and two lower-case hex digits, or "_u"
 * and four for a UTF-16 code unit above U+00FF. Decoding reverses that exactly, and a name that is not the
 * canonical encoding of some pid is not ours. A pid too long to fit is left without a bookmark.
 */

/** What every pid bookmark's name starts with ("_": hidden in Word; "ph": Penholder). */
export const PID_BOOKMARK_PREFIX = '_ph_';

/** The longest bookmark name Word keeps. */
export const MAX_BOOKMARK_NAME_LENGTH = 40;

/** Characters written as themselves. */
const PLAIN = /^[a-z0-9]$/;

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** The bookmark name for `pid`, or null when it cannot be written in 40 characters (or the pid is empty). */
export function pidBookmarkName(pid: string): string | null {
  if (pid === '') return null;
  let name = PID_BOOKMARK_PREFIX;
  for (let index = 0; index < pid.length; index += 1) {
    const char = pid.charAt(index);
    if (PLAIN.test(char)) name += char;
    else {
      // charCodeAt: one UTF-16 code unit at a time, so a character outside the BMP (or a lone surrogate) round-trips.
      const code = pid.charCodeAt(index);
      name += code <= 0xff ? `_${hex(code, 2)}` : `_u${hex(code, 4)}`;
    }
    if (name.length > MAX_BOOKMARK_NAME_LENGTH) return null;
  }
  return name;
}

const HEX2 = /^[0-9a-f]{2}$/;
const HEX4 = /^[0-9a-f]{4}$/;

/**
 * The pid a bookmark name stands for, or null when the name is not a pid bookmark (another bookmark of the file,
 * or one whose name was altered: only the exact encoding {@link pidBookmarkName} writes is accepted).
 */
export function pidFromBookmarkName(name: string): string | null {
  if (!name.startsWith(PID_BOOKMARK_PREFIX) || name.length > MAX_BOOKMARK_NAME_LENGTH) return null;
  let pid = '';
  let index = PID_BOOKMARK_PREFIX.length;
  while (index < name.length) {
    const char = name.charAt(index);
    if (PLAIN.test(char)) {
      pid += char;
      index += 1;
    } else if (char !== '_') return null;
    else if (name.charAt(index + 1) === 'u') {
      const digits = name.slice(index + 2, index + 6);
      if (!HEX4.test(digits)) return null;
      const code = parseInt(digits, 16);
      // Written with two digits when it fits: a four-digit form of a small code is not our encoding.
      if (code <= 0xff) return null;
      pid += String.fromCharCode(code);
      index += 6;
    } else {
      const digits = name.slice(index + 1, index + 3);
      if (!HEX2.test(digits)) return null;
      const decoded = String.fromCharCode(parseInt(digits, 16));
      // A plain character escaped is not our encoding either.
      if (PLAIN.test(decoded)) return null;
      pid += decoded;
      index += 3;
    }
  }
  return pid === '' ? null : pid;
}
