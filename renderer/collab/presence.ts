/**
 * Who is present in a shared document, as the sync server says (a stateless message on `D/text`). Awareness can
 * be forged by any client, so the list people rely on comes from the server; awareness only moves cursors.
 */
import { roles, type Role } from '../../shared/sync.ts';
import { colorForUser } from './colors.ts';
import { statelessMessageOfType } from './stateless.ts';

/** One signed-in person (an account) present on the document, with how many windows they have open on it. */
export interface PresentUser {
  name: string;
  role: Role;
  /** The delegation's code, for role 'delegation'; null otherwise. */
  delegation: string | null;
  connections: number;
  /** Stable per account (colors.ts). */
  color: string;
}

/** The most users a presence message may list; anything beyond is ignored rather than slowing the window. */
export const MAX_PRESENT_USERS = 1000;

const ROLE_ORDER: Record<Role, number> = { chair: 0, delegation: 1, secretariat: 2, observer: 3 };

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/**
 * Reads a stateless payload; returns the present users sorted (chair's team, delegations by code, secretariat,
 * observers), or null when the payload is not a presence message (other stateless messages exist or may come).
 * A malformed entry is skipped, never trusted.
 */
export function parsePresence(payload: string): PresentUser[] | null {
  const message = statelessMessageOfType(payload, 'presence');
  const users = message?.['users'];
  if (!Array.isArray(users)) return null;
  const present: PresentUser[] = [];
  const seen = new Set<string>();
  for (const entry of users.slice(0, MAX_PRESENT_USERS)) {
    if (entry === null || typeof entry !== 'object') continue;
    const { name, role, delegation, connections } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200 || !isRole(role)) continue;
    if (seen.has(name)) continue;
    seen.add(name);
    present.push({
      name,
      role,
      delegation: role === 'delegation' && typeof delegation === 'string' && delegation !== '' ? delegation : null,
      connections: typeof connections === 'number' && Number.isFinite(connections) && connections > 0 ? Math.floor(connections) : 1,
      color: colorForUser(name),
    });
  }
  return sortPresent(present);
}

/** Chair's team first, then delegations by code, then the secretariat and observers; by name within each. */
export function sortPresent(users: readonly PresentUser[]): PresentUser[] {
  return [...users].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      (a.delegation ?? '').localeCompare(b.delegation ?? '') ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  );
}

/** What a person is, in a few words: "Chair", "Delegation of FRA", "Secretariat", "Observer". */
export function describeRole(role: Role, delegation: string | null): string {
  switch (role) {
    case 'chair':
      return 'Chair';
    case 'delegation':
      return delegation ? `Delegation of ${delegation}` : 'Delegation';
    case 'secretariat':
      return 'Secretariat';
    case 'observer':
      return 'Observer';
  }
}

/** The line a presence list shows for one person: "Ana Ruiz — Chair", "france-1 — Delegation of FRA". */
export function presenceLabel(user: Pick<PresentUser, 'name' | 'role' | 'delegation'>): string {
  return `${user.name} — ${describeRole(user.role, user.delegation)}`;
}
