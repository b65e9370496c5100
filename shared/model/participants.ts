/**
 * The participant registry: who can take part in a negotiation. UN member States, non-member observers (the Holy
 * See, the State of Palestine, the European Union) and groups that speak jointly (the five regional groups and
 * political or negotiating groups such as the G77 and China). The data ships as JSON in resources/participants/;
 * this module validates it, answers look-ups and searches, and edits groups by returning new registries.
 *
 * Codes are delegation codes (shared/sync.ts DELEGATION_CODE): ISO 3166-1 alpha-3 for member States, a code per
 * observer, and a group code that never collides with a member State's code, since `D/d/<code>` must name exactly
 * one delegation. The one code shared by two entries is EU: the observer that speaks, and the union of its 27
 * member States as a group.
 */
import { z } from 'zod';
import { DELEGATION_CODE } from '../sync.ts';
import bundledMemberStates from '../../resources/participants/member-states.json' with { type: 'json' };
import bundledObservers from '../../resources/participants/observers.json' with { type: 'json' };
import bundledGroups from '../../resources/participants/groups.json' with { type: 'json' };

/** An ISO 3166-1 alpha-3 code, as every UN member State has. */
export const ALPHA3_CODE = /^[A-Z]{3}$/;

const delegationCodeSchema = z
  .string()
  .regex(DELEGATION_CODE, 'a code is 2 to 16 capital letters, digits, dashes or underscores');

const displayNameSchema = z
  .string()
  .min(1, 'a name cannot be empty')
  .max(200, 'a name is at most 200 characters')
  .refine((name) => name.trim() === name, 'a name has no leading or trailing spaces');

const aliasesSchema = z.array(displayNameSchema).readonly().optional();
const notesSchema = z.string().max(2000, 'notes are at most 2000 characters').optional();

/** One UN member State: its ISO alpha-3 code, the short name the UN uses, and its regional group's code. */
export const memberStateSchema = z.strictObject({
  code: z.string().regex(ALPHA3_CODE, 'a member State code is three capital letters (ISO 3166-1 alpha-3)'),
  name: displayNameSchema,
  regionalGroup: delegationCodeSchema,
  /** Other names people type (Turkey, Ivory Coast), found by search but never shown as the name. */
  aliases: aliasesSchema,
  notes: notesSchema,
});

/** A UN member State as the registry holds it. */
export type MemberState = z.infer<typeof memberStateSchema>;

/** The kinds of observer: a non-member State, or an intergovernmental organization such as the European Union. */
export const observerKinds = ['non-member-state', 'intergovernmental-organization'] as const;

/** The kind of an observer. */
export type ObserverKind = (typeof observerKinds)[number];

/** One observer in the General Assembly that can take the floor in a negotiation. */
export const observerSchema = z.strictObject({
  code: delegationCodeSchema,
  name: displayNameSchema,
  kind: z.enum(observerKinds),
  aliases: aliasesSchema,
  notes: notesSchema,
});

/** An observer as the registry holds it. */
export type Observer = z.infer<typeof observerSchema>;

/** The kinds of group: a UN regional group, a political or negotiating group, or a union speaking as one. */
export const groupKinds = ['regional', 'political', 'union'] as const;

/** The kind of a group. */
export type GroupKind = (typeof groupKinds)[number];

/** A group speaking jointly, with the codes of its members (member States or observers). */
export const participantGroupSchema = z.strictObject({
  code: delegationCodeSchema,
  name: displayNameSchema,
  kind: z.enum(groupKinds),
  members: z.array(delegationCodeSchema).readonly(),
  aliases: aliasesSchema,
  notes: notesSchema,
});

/** A group as the registry holds it. */
export type ParticipantGroup = z.infer<typeof participantGroupSchema>;

/** The shape of resources/participants/member-states.json. */
export const memberStatesFileSchema = z.strictObject({
  source: z.string().optional(),
  memberStates: z.array(memberStateSchema).readonly(),
});

/** The shape of resources/participants/observers.json. */
export const observersFileSchema = z.strictObject({
  source: z.string().optional(),
  observers: z.array(observerSchema).readonly(),
});

/** The shape of resources/participants/groups.json (also what an edited registry saves). */
export const groupsFileSchema = z.strictObject({
  source: z.string().optional(),
  groups: z.array(participantGroupSchema).readonly(),
});

/** The parsed content of groups.json. */
export type GroupsFile = z.infer<typeof groupsFileSchema>;

/** The three files' contents, as read from disk or imported; checked by {@link createRegistry}. */
export interface ParticipantData {
  readonly memberStates: unknown;
  readonly observers: unknown;
  readonly groups: unknown;
}

/** What a code names: a member State, an observer or a group, told apart by `category`. */
export type Participant =
  | ({ readonly category: 'member-state' } & MemberState)
  | ({ readonly category: 'observer' } & Observer)
  | ({ readonly category: 'group' } & ParticipantGroup);

/** The categories of participant, for narrowing a search. */
export type ParticipantCategory = Participant['category'];

/** Options of {@link ParticipantRegistry.search}. */
export interface ParticipantSearchOptions {
  /** Only these categories (default: all). */
  readonly categories?: readonly ParticipantCategory[];
  /** At most this many results (default: all). */
  readonly limit?: number;
}

/** Data that was refused, with one line per problem, each naming the file and the entry at fault. */
export class ParticipantDataError extends Error {
  /** Every problem found, not only the first, so one edit can fix them all. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const shown = problems.slice(0, 12).join('; ');
    const more = problems.length > 12 ? ` (and ${problems.length - 12} more)` : '';
    super(`Participant data refused: ${shown}${more}`);
    this.name = 'ParticipantDataError';
    this.problems = problems;
  }
}

/** Participants of the registry: look-ups, search, and group edits that return a new registry. */
export interface ParticipantRegistry {
  /** The 193 member States (or whatever the data holds), in the data's order. */
  readonly memberStates: readonly MemberState[];
  /** The observers, in the data's order. */
  readonly observers: readonly Observer[];
  /** The groups, in the data's order; edits append new groups at the end. */
  readonly groups: readonly ParticipantGroup[];
  /** The participant a code names; for EU (observer and union alike) the observer, the delegation that speaks. */
  lookup(code: string): Participant | null;
  /** The group with this code, or null. */
  group(code: string): ParticipantGroup | null;
  /** Whether the code names a member State, an observer or a group. */
  isKnownCode(code: string): boolean;
  /** The display name of a code, or null for an unknown code. */
  nameOf(code: string): string | null;
  /** The groups that list `code` among their members, optionally only those of one kind, in the data's order. */
  groupsOf(code: string, kind?: GroupKind): readonly ParticipantGroup[];
  /** The regional group of a member State, or null for anything else. */
  regionalGroupOf(code: string): ParticipantGroup | null;
  /** The member codes of a group, or null if there is no such group. */
  membersOf(groupCode: string): readonly string[] | null;
  /** Participants whose code, name or alias matches `query`, ignoring case and accents, best matches first. */
  search(query: string, options?: ParticipantSearchOptions): readonly Participant[];
  /** A new registry in which `code` is a member of the political or union group `groupCode`. */
  withGroupMember(groupCode: string, code: string): ParticipantRegistry;
  /** A new registry in which `code` is no longer a member of the political or union group `groupCode`. */
  withoutGroupMember(groupCode: string, code: string): ParticipantRegistry;
  /** A new registry with one more political or union group, validated like the bundled ones. */
  withGroup(group: unknown): ParticipantRegistry;
  /** A new registry without the political or union group `groupCode`. */
  withoutGroup(groupCode: string): ParticipantRegistry;
  /** The groups as groups.json holds them, for saving an edited registry. */
  toGroupsFile(): GroupsFile;
}

/**
 * Folds text for matching: accents and case dropped, punctuation and spaces collapsed to one space, so that
 * "cote d'ivoire", "Côte d’Ivoire" and "COTE D IVOIRE" are the same.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Checks the three files and builds a registry; throws {@link ParticipantDataError} naming every bad entry. */
export function createRegistry(data: ParticipantData): ParticipantRegistry {
  // Each stage runs only on data the previous one accepted: group checks against a member list with a broken
  // or duplicated code would report problems that are only echoes of the first.
  const problems: string[] = [];
  const states = parseFile(memberStatesFileSchema, data.memberStates, 'member-states.json', 'memberStates', problems);
  const observers = parseFile(observersFileSchema, data.observers, 'observers.json', 'observers', problems);
  const groups = parseFile(groupsFileSchema, data.groups, 'groups.json', 'groups', problems);
  if (!states || !observers || !groups) throw new ParticipantDataError(problems);

  checkStatesAndObservers(states.memberStates, observers.observers, problems);
  if (problems.length > 0) throw new ParticipantDataError(problems);
  const base = new Base(states.memberStates, observers.observers);
  checkGroups(base, groups.groups, problems);
  if (problems.length > 0) throw new ParticipantDataError(problems);
  return new Registry(base, groups.groups.map(freezeGroup), groups.source);
}

let bundled: ParticipantRegistry | null = null;

/** The registry built from the data shipped in resources/participants/, checked once and then shared. */
export function bundledRegistry(): ParticipantRegistry {
  bundled ??= createRegistry({ memberStates: bundledMemberStates, observers: bundledObservers, groups: bundledGroups });
  return bundled;
}

/** The participants of one negotiated document: codes of member States, observers and groups taking part. */
export interface DocumentParticipants {
  readonly participants: readonly string[];
}

/** The shape of a document's participant list before it is checked against a registry. */
export const documentParticipantsSchema = z.strictObject({
  participants: z.array(delegationCodeSchema).readonly(),
});

/**
 * Checks a document's participant list against the registry: well-formed, every code known, none twice.
 * Throws {@link ParticipantDataError} naming each bad entry.
 */
export function parseDocumentParticipants(registry: ParticipantRegistry, input: unknown): DocumentParticipants {
  const problems: string[] = [];
  const parsed = documentParticipantsSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`document participants: ${describeIssue(input, 'participants', issue)}`);
    throw new ParticipantDataError(problems);
  }
  const seen = new Set<string>();
  parsed.data.participants.forEach((code, index) => {
    if (!registry.isKnownCode(code)) {
      problems.push(`document participants: participants[${index}] "${code}" is not a known member State, observer or group`);
    } else if (seen.has(code)) {
      problems.push(`document participants: participants[${index}] "${code}" is listed twice`);
    }
    seen.add(code);
  });
  if (problems.length > 0) throw new ParticipantDataError(problems);
  return Object.freeze({ participants: Object.freeze([...parsed.data.participants]) });
}

/** A copy of `document` with `code` taking part (unchanged if it already does); refuses unknown codes. */
export function withParticipant(registry: ParticipantRegistry, document: DocumentParticipants, code: string): DocumentParticipants {
  if (document.participants.includes(code)) return document;
  return parseDocumentParticipants(registry, { participants: [...document.participants, code] });
}

/** A copy of `document` without `code` (unchanged if it was not taking part). */
export function withoutParticipant(document: DocumentParticipants, code: string): DocumentParticipants {
  if (!document.participants.includes(code)) return document;
  return Object.freeze({ participants: Object.freeze(document.participants.filter((c) => c !== code)) });
}

// ---------------------------------------------------------------------------------------------------------------

/** Parses one file, turning each zod issue into a line that names the file and the entry. */
function parseFile<T>(
  schema: z.ZodType<T>,
  input: unknown,
  file: string,
  listKey: string,
  problems: string[],
): T | null {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(`${file}: ${describeIssue(input, listKey, issue)}`);
  return null;
}

/** One zod issue as `memberStates[12] (code "XX1", "Fooland"): code: <message>`, quoting what identifies the entry. */
function describeIssue(input: unknown, listKey: string, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  if (path[0] === listKey && typeof path[1] === 'number') {
    const entry = (input as Record<string, unknown[]>)[listKey]?.[path[1]];
    const label = entryLabel(entry);
    const rest = path.slice(2).map(String).join('.');
    return `${listKey}[${path[1]}]${label}: ${rest ? `${rest}: ` : ''}${issue.message}`;
  }
  const where = path.length > 0 ? `${path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** ` (code "X", "Name")` for an entry with a code or name (or ` "X"` for a bare code), so it can be found in the file. */
function entryLabel(entry: unknown): string {
  if (typeof entry === 'string') return ` "${entry}"`;
  if (typeof entry !== 'object' || entry === null) return '';
  const record = entry as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof record['code'] === 'string') parts.push(`code "${record['code']}"`);
  if (typeof record['name'] === 'string') parts.push(`"${record['name']}"`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Codes unique, names unique (folded), observers clear of member State codes. */
function checkStatesAndObservers(states: readonly MemberState[], observers: readonly Observer[], problems: string[]): void {
  const codes = new Map<string, string>();
  const names = new Map<string, string>();
  const note = (code: string, name: string, where: string): void => {
    const byCode = codes.get(code);
    if (byCode !== undefined) problems.push(`${where} (code "${code}"): the code is already used by ${byCode}`);
    else codes.set(code, where);
    const folded = foldForSearch(name);
    const byName = names.get(folded);
    if (byName !== undefined) problems.push(`${where} ("${name}"): the name is already used by ${byName}`);
    else names.set(folded, where);
  };
  states.forEach((state, index) => note(state.code, state.name, `member-states.json: memberStates[${index}]`));
  observers.forEach((observer, index) => note(observer.code, observer.name, `observers.json: observers[${index}]`));
}

/** Group rules; `where` labels each problem (the file entry, or the edit being refused). */
function checkGroups(base: Base, groups: readonly ParticipantGroup[], problems: string[], where?: (index: number) => string): void {
  const label = where ?? ((index: number) => `groups.json: groups[${index}]`);
  const codes = new Map<string, number>();
  const names = new Map<string, number>();
  groups.forEach((group, index) => {
    const at = `${label(index)} (code "${group.code}")`;
    const previous = codes.get(group.code);
    if (previous !== undefined) problems.push(`${at}: the code is already used by the group at groups[${previous}]`);
    else codes.set(group.code, index);
    const folded = foldForSearch(group.name);
    const sameName = names.get(folded);
    if (sameName !== undefined) problems.push(`${at}: the name "${group.name}" is already used by the group at groups[${sameName}]`);
    else names.set(folded, index);

    if (base.states.has(group.code)) {
      problems.push(`${at}: a group code cannot be a member State's code (it would name two delegations)`);
    }
    const observer = base.observers.get(group.code);
    if (observer && !(group.kind === 'union' && observer.kind === 'intergovernmental-organization')) {
      problems.push(`${at}: a group may share its code only with the intergovernmental organization it is the union of`);
    }

    const members = new Set<string>();
    group.members.forEach((member, memberIndex) => {
      const memberAt = `${at}: members[${memberIndex}] "${member}"`;
      if (member === group.code) problems.push(`${memberAt}: a group cannot be its own member`);
      else if (!base.states.has(member) && !base.observers.has(member)) {
        problems.push(`${memberAt} is not a known member State or observer`);
      } else if (group.kind === 'regional' && !base.states.has(member)) {
        problems.push(`${memberAt}: a regional group holds member States only`);
      }
      if (members.has(member)) problems.push(`${memberAt} is listed twice`);
      members.add(member);
    });
  });

  // Regional groups are the member States' regionalGroup field seen from the other side: the two must agree.
  const regional = new Map(groups.filter((g) => g.kind === 'regional').map((g) => [g.code, new Set(g.members)]));
  for (const [index, state] of [...base.states.values()].entries()) {
    const members = regional.get(state.regionalGroup);
    const at = `member-states.json: memberStates[${index}] (code "${state.code}", "${state.name}")`;
    if (!members) problems.push(`${at}: regionalGroup "${state.regionalGroup}" is not a regional group in groups.json`);
    else if (!members.has(state.code)) problems.push(`${at}: its regional group "${state.regionalGroup}" does not list it`);
  }
  for (const [code, members] of regional) {
    for (const member of members) {
      const state = base.states.get(member);
      if (state && state.regionalGroup !== code) {
        problems.push(`groups.json: regional group "${code}" lists "${member}", whose regionalGroup is "${state.regionalGroup}"`);
      }
    }
  }
}

function freezeGroup(group: ParticipantGroup): ParticipantGroup {
  const copy: ParticipantGroup = { ...group, members: Object.freeze([...group.members]) };
  if (group.aliases) copy.aliases = Object.freeze([...group.aliases]);
  return Object.freeze(copy);
}

function freezeEntry<T extends MemberState | Observer>(entry: T): T {
  return Object.freeze(entry.aliases ? { ...entry, aliases: Object.freeze([...entry.aliases]) } : { ...entry });
}

/** What a search compares: the folded code, name and aliases of one participant. */
interface SearchEntry {
  readonly participant: Participant;
  readonly code: string;
  readonly name: string;
  readonly aliases: readonly string[];
}

/** The member States and observers, which group edits never change, indexed once and shared by every registry. */
class Base {
  readonly states: ReadonlyMap<string, MemberState>;
  readonly observers: ReadonlyMap<string, Observer>;
  readonly statesList: readonly MemberState[];
  readonly observersList: readonly Observer[];
  readonly searchEntries: readonly SearchEntry[];

  constructor(states: readonly MemberState[], observers: readonly Observer[]) {
    this.statesList = Object.freeze(states.map(freezeEntry));
    this.observersList = Object.freeze(observers.map(freezeEntry));
    this.states = new Map(this.statesList.map((s) => [s.code, s]));
    this.observers = new Map(this.observersList.map((o) => [o.code, o]));
    this.searchEntries = [
      ...this.statesList.map((s) => searchEntry({ category: 'member-state', ...s })),
      ...this.observersList.map((o) => searchEntry({ category: 'observer', ...o })),
    ];
  }
}

function searchEntry(participant: Participant): SearchEntry {
  return {
    participant: Object.freeze(participant),
    code: participant.code.toLowerCase(),
    name: foldForSearch(participant.name),
    aliases: (participant.aliases ?? []).map(foldForSearch),
  };
}

/** How well `entry` matches the folded `query`: lower is better, null for no match. */
function matchRank(entry: SearchEntry, query: string): number | null {
  if (entry.code === query) return 0;
  if (entry.name.startsWith(query)) return 1;
  if (entry.name.includes(` ${query}`)) return 2;
  if (entry.aliases.some((alias) => alias === query || alias.startsWith(query))) return 3;
  if (entry.aliases.some((alias) => alias.includes(` ${query}`))) return 4;
  if (entry.name.includes(query)) return 5;
  if (entry.aliases.some((alias) => alias.includes(query))) return 6;
  return null;
}

class Registry implements ParticipantRegistry {
  readonly memberStates: readonly MemberState[];
  readonly observers: readonly Observer[];
  readonly groups: readonly ParticipantGroup[];
  readonly #base: Base;
  readonly #groups: ReadonlyMap<string, ParticipantGroup>;
  readonly #groupEntries: readonly SearchEntry[];
  readonly #source: string | undefined;

  constructor(base: Base, groups: readonly ParticipantGroup[], source: string | undefined) {
    this.#base = base;
    this.#source = source;
    this.memberStates = base.statesList;
    this.observers = base.observersList;
    this.groups = Object.freeze([...groups]);
    this.#groups = new Map(this.groups.map((g) => [g.code, g]));
    this.#groupEntries = this.groups.map((g) => searchEntry({ category: 'group', ...g }));
  }

  lookup(code: string): Participant | null {
    const state = this.#base.states.get(code);
    if (state) return { category: 'member-state', ...state };
    const observer = this.#base.observers.get(code);
    if (observer) return { category: 'observer', ...observer };
    const group = this.#groups.get(code);
    if (group) return { category: 'group', ...group };
    return null;
  }

  group(code: string): ParticipantGroup | null {
    return this.#groups.get(code) ?? null;
  }

  isKnownCode(code: string): boolean {
    return this.#base.states.has(code) || this.#base.observers.has(code) || this.#groups.has(code);
  }

  nameOf(code: string): string | null {
    return this.lookup(code)?.name ?? null;
  }

  groupsOf(code: string, kind?: GroupKind): readonly ParticipantGroup[] {
    return this.groups.filter((g) => (kind === undefined || g.kind === kind) && g.members.includes(code));
  }

  regionalGroupOf(code: string): ParticipantGroup | null {
    const state = this.#base.states.get(code);
    return state ? (this.#groups.get(state.regionalGroup) ?? null) : null;
  }

  membersOf(groupCode: string): readonly string[] | null {
    return this.#groups.get(groupCode)?.members ?? null;
  }

  search(query: string, options: ParticipantSearchOptions = {}): readonly Participant[] {
    const folded = foldForSearch(query);
    if (folded === '') return [];
    const categories = options.categories;
    const hits: Array<{ entry: SearchEntry; rank: number }> = [];
    for (const entry of [...this.#base.searchEntries, ...this.#groupEntries]) {
      const participant = entry.participant;
      if (categories && !categories.includes(participant.category)) continue;
      // The EU group shares its code with the EU observer; when both may show, show the delegation that speaks once.
      if (participant.category === 'group' && this.#base.observers.has(participant.code) && (!categories || categories.includes('observer'))) {
        continue;
      }
      const rank = matchRank(entry, folded);
      if (rank !== null) hits.push({ entry, rank });
    }
    hits.sort((a, b) => a.rank - b.rank || a.entry.name.localeCompare(b.entry.name, 'en'));
    const limited = options.limit === undefined ? hits : hits.slice(0, Math.max(0, options.limit));
    return limited.map((hit) => hit.entry.participant);
  }

  withGroupMember(groupCode: string, code: string): ParticipantRegistry {
    const group = this.#editableGroup(groupCode, `add "${code}" to`);
    if (group.members.includes(code)) return this;
    return this.#withGroups(
      this.groups.map((g) => (g.code === groupCode ? { ...g, members: [...g.members, code] } : g)),
      `cannot add "${code}" to group "${groupCode}"`,
    );
  }

  withoutGroupMember(groupCode: string, code: string): ParticipantRegistry {
    const group = this.#editableGroup(groupCode, `remove "${code}" from`);
    if (!group.members.includes(code)) return this;
    return this.#withGroups(
      this.groups.map((g) => (g.code === groupCode ? { ...g, members: g.members.filter((m) => m !== code) } : g)),
      `cannot remove "${code}" from group "${groupCode}"`,
    );
  }

  withGroup(input: unknown): ParticipantRegistry {
    const parsed = participantGroupSchema.safeParse(input);
    if (!parsed.success) {
      const label = entryLabel(input);
      throw new ParticipantDataError(parsed.error.issues.map((issue) => {
        const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
        return `new group${label}: ${where}${issue.message}`;
      }));
    }
    if (parsed.data.kind === 'regional') {
      throw new ParticipantDataError([
        `new group (code "${parsed.data.code}"): regional groups follow member-states.json (each State's regionalGroup) and cannot be added here`,
      ]);
    }
    return this.#withGroups([...this.groups, parsed.data], `cannot add group "${parsed.data.code}"`);
  }

  withoutGroup(groupCode: string): ParticipantRegistry {
    this.#editableGroup(groupCode, 'remove');
    return this.#withGroups(this.groups.filter((g) => g.code !== groupCode), `cannot remove group "${groupCode}"`);
  }

  toGroupsFile(): GroupsFile {
    const groups = this.groups.map((g) => ({ ...g, members: [...g.members], ...(g.aliases ? { aliases: [...g.aliases] } : {}) }));
    return this.#source === undefined ? { groups } : { source: this.#source, groups };
  }

  /** The group `groupCode` if edits may change it; regional groups follow the member States' data instead. */
  #editableGroup(groupCode: string, action: string): ParticipantGroup {
    const group = this.#groups.get(groupCode);
    if (!group) throw new ParticipantDataError([`cannot ${action} group "${groupCode}": there is no such group`]);
    if (group.kind === 'regional') {
      throw new ParticipantDataError([
        `cannot ${action} group "${groupCode}": regional groups follow member-states.json (each State's regionalGroup) and are not edited here`,
      ]);
    }
    return group;
  }

  /** A registry with `groups`, checked by the same rules as the bundled data; refuses with `refusal` as context. */
  #withGroups(groups: readonly ParticipantGroup[], refusal: string): ParticipantRegistry {
    const problems: string[] = [];
    checkGroups(this.#base, groups, problems, (index) => `${refusal}: groups[${index}]`);
    if (problems.length > 0) throw new ParticipantDataError(problems);
    return new Registry(this.#base, groups.map(freezeGroup), this.#source);
  }
}
