import { describe, expect, it } from 'vitest';
import { DELEGATION_CODE } from '../sync.ts';
import memberStatesJson from '../../resources/participants/member-states.json' with { type: 'json' };
import observersJson from '../../resources/participants/observers.json' with { type: 'json' };
import groupsJson from '../../resources/participants/groups.json' with { type: 'json' };
import {
  ParticipantDataError,
  bundledRegistry,
  createRegistry,
  foldForSearch,
  parseDocumentParticipants,
  withParticipant,
  withoutParticipant,
  type ParticipantData,
} from './participants.ts';

/** A fresh, mutable copy of the shipped data, for tests that break it. */
function shippedData(): {
  memberStates: typeof memberStatesJson;
  observers: typeof observersJson;
  groups: typeof groupsJson;
} {
  return structuredClone({ memberStates: memberStatesJson, observers: observersJson, groups: groupsJson });
}

/** The problems createRegistry reports for `data`; fails the test if it accepts the data. */
function problemsOf(data: ParticipantData): readonly string[] {
  try {
    createRegistry(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ParticipantDataError);
    return (error as ParticipantDataError).problems;
  }
  throw new Error('the data was accepted');
}

/** The error an edit throws; fails the test if the edit succeeds. */
function refusal(edit: () => unknown): ParticipantDataError {
  try {
    edit();
  } catch (error) {
    expect(error).toBeInstanceOf(ParticipantDataError);
    return error as ParticipantDataError;
  }
  throw new Error('the edit was accepted');
}

const states = memberStatesJson.memberStates;
const stateCodes = new Set(states.map((s) => s.code));
const observerCodes = new Set(observersJson.observers.map((o) => o.code));
const groupsByCode = new Map(groupsJson.groups.map((g) => [g.code, g]));

/**
 * ISO 3166-1 alpha-3 codes of territories that are not UN member States, plus XKX (user-assigned, used for
 * Kosovo): a group code must not take one of these either, or a later participant could not use its own code.
 */
const NON_MEMBER_ALPHA3 = `ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL GUF GUM HKG HMD
  IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PSE PYF REU SGS SHN SJM SPM SXM TCA TKL TWN UMI VAT VGB VIR
  WLF XKX`.split(/\s+/);

describe('the shipped member States', () => {
  it('lists exactly 193 States with unique alpha-3 codes and unique names', () => {
    expect(states).toHaveLength(193);
    expect(stateCodes.size).toBe(193);
    expect(new Set(states.map((s) => s.name)).size).toBe(193);
    for (const state of states) expect(state.code, state.name).toMatch(/^[A-Z]{3}$/);
  });

  it('uses the UN short names with their ISO codes', () => {
    const byCode = new Map(states.map((s) => [s.code, s.name]));
    const expected: Record<string, string> = {
      BOL: 'Bolivia (Plurinational State of)',
      TUR: 'Türkiye',
      CIV: "Côte d'Ivoire",
      PRK: "Democratic People's Republic of Korea",
      KOR: 'Republic of Korea',
      GBR: 'United Kingdom of Great Britain and Northern Ireland',
      USA: 'United States of America',
      VNM: 'Viet Nam',
      LAO: "Lao People's Democratic Republic",
      IRN: 'Iran (Islamic Republic of)',
      VEN: 'Venezuela (Bolivarian Republic of)',
      FSM: 'Micronesia (Federated States of)',
      NLD: 'Netherlands (Kingdom of the)',
      MDA: 'Republic of Moldova',
      RUS: 'Russian Federation',
      SYR: 'Syrian Arab Republic',
      TZA: 'United Republic of Tanzania',
      SWZ: 'Eswatini',
      MKD: 'North Macedonia',
      CZE: 'Czechia',
      SSD: 'South Sudan',
      COD: 'Democratic Republic of the Congo',
      COG: 'Congo',
      CPV: 'Cabo Verde',
      TLS: 'Timor-Leste',
    };
    for (const [code, name] of Object.entries(expected)) expect(byCode.get(code), code).toBe(name);
  });

  it('puts every State in one of the five regional groups with the UN counts', () => {
    const counts = new Map<string, number>();
    for (const state of states) counts.set(state.regionalGroup, (counts.get(state.regionalGroup) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ AFRICAN: 54, APG: 54, EEG: 23, GRULAC: 33, WEOG: 29 });
  });

  it('documents the special cases: Türkiye, Israel and the United States in WEOG, Kiribati in Asia-Pacific', () => {
    const byCode = new Map(states.map((s) => [s.code, s]));
    for (const [code, group] of [['TUR', 'WEOG'], ['ISR', 'WEOG'], ['USA', 'WEOG'], ['KIR', 'APG']] as const) {
      const state = byCode.get(code);
      expect(state?.regionalGroup, code).toBe(group);
      expect(state?.notes, code).toMatch(/regional group/);
    }
  });
});

describe('the shipped observers and groups', () => {
  it('has the Holy See and the State of Palestine as non-member States and the EU as an organization', () => {
    const kinds = Object.fromEntries(observersJson.observers.map((o) => [o.code, [o.name, o.kind]]));
    expect(kinds).toEqual({
      VAT: ['Holy See', 'non-member-state'],
      PSE: ['State of Palestine', 'non-member-state'],
      EU: ['European Union', 'intergovernmental-organization'],
    });
  });

  it('lists only known member States or observers as group members, each once', () => {
    for (const group of groupsJson.groups) {
      expect(group.members.length, group.code).toBeGreaterThan(0);
      expect(new Set(group.members).size, group.code).toBe(group.members.length);
      for (const member of group.members) {
        expect(stateCodes.has(member) || observerCodes.has(member), `${group.code}: ${member}`).toBe(true);
      }
    }
  });

  it('gives every group a delegation code that names no State or territory, a kind and a note', () => {
    const codes = groupsJson.groups.map((g) => g.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const group of groupsJson.groups) {
      expect(group.code).toMatch(DELEGATION_CODE);
      expect(stateCodes.has(group.code), group.code).toBe(false);
      expect(NON_MEMBER_ALPHA3.includes(group.code), group.code).toBe(false);
      expect(['regional', 'political', 'union']).toContain(group.kind);
      expect(group.notes.length, group.code).toBeGreaterThan(20);
    }
    // NAM is Namibia's code, so the Non-Aligned Movement needs another.
    expect(groupsByCode.has('NAM')).toBe(false);
    expect(groupsByCode.get('NON-ALIGNED')?.aliases).toContain('NAM');
  });

  it('has the 27 EU member States in the EU group', () => {
    const eu = groupsByCode.get('EU');
    expect(eu?.kind).toBe('union');
    expect([...(eu?.members ?? [])].sort()).toEqual(
      'AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD POL PRT ROU SVK SVN SWE'.split(' '),
    );
    for (const member of eu?.members ?? []) expect(stateCodes.has(member)).toBe(true);
  });

  it('has the regional groups as the partition of the member States', () => {
    const regional = groupsJson.groups.filter((g) => g.kind === 'regional');
    expect(regional.map((g) => g.code)).toEqual(['AFRICAN', 'APG', 'EEG', 'GRULAC', 'WEOG']);
    const all = regional.flatMap((g) => g.members);
    expect(all).toHaveLength(193);
    expect(new Set(all).size).toBe(193);
  });

  it('has the expected sizes for the political groups', () => {
    const sizes = Object.fromEntries(groupsJson.groups.map((g) => [g.code, g.members.length]));
    expect(sizes).toMatchObject({ G77: 135, EU: 27, 'NON-ALIGNED': 120, AOSIS: 37, LDC: 44, LLDC: 32, ARAB: 22, CELAC: 33 });
    const g77 = groupsByCode.get('G77')?.members ?? [];
    expect(g77).toContain('CHN');
    expect(g77).toContain('PSE');
    expect(g77).not.toContain('MEX');
    expect(new Set(groupsByCode.get('CELAC')?.members)).toEqual(new Set(groupsByCode.get('GRULAC')?.members));
  });
});

describe('ParticipantRegistry look-ups', () => {
  const registry = bundledRegistry();

  it('builds once from the shipped data', () => {
    expect(bundledRegistry()).toBe(registry);
    expect(registry.memberStates).toHaveLength(193);
    expect(registry.observers).toHaveLength(3);
    expect(registry.groups.length).toBe(groupsJson.groups.length);
  });

  it('looks up member States, observers and groups by code', () => {
    expect(registry.lookup('FRA')).toMatchObject({ category: 'member-state', name: 'France', regionalGroup: 'WEOG' });
    expect(registry.lookup('VAT')).toMatchObject({ category: 'observer', name: 'Holy See' });
    expect(registry.lookup('G77')).toMatchObject({ category: 'group', name: 'Group of 77 and China', kind: 'political' });
    expect(registry.lookup('XYZ')).toBeNull();
    expect(registry.lookup('fra')).toBeNull();
  });

  it('resolves EU to the observer that speaks, and to the union as a group', () => {
    expect(registry.lookup('EU')?.category).toBe('observer');
    expect(registry.group('EU')?.kind).toBe('union');
    expect(registry.membersOf('EU')).toHaveLength(27);
  });

  it('answers isKnownCode and nameOf', () => {
    for (const code of ['USA', 'PSE', 'EU', 'AOSIS', 'WEOG']) expect(registry.isKnownCode(code), code).toBe(true);
    for (const code of ['XYZ', 'NAM-', '', 'usa']) expect(registry.isKnownCode(code), code).toBe(false);
    expect(registry.nameOf('CIV')).toBe("Côte d'Ivoire");
    expect(registry.nameOf('LLDC')).toBe('Landlocked developing countries');
    expect(registry.nameOf('XYZ')).toBeNull();
  });

  it('lists the groups of a participant and the members of a group', () => {
    expect(registry.groupsOf('BOL').map((g) => g.code)).toEqual(['GRULAC', 'G77', 'NON-ALIGNED', 'LLDC', 'CELAC']);
    expect(registry.groupsOf('BOL', 'regional').map((g) => g.code)).toEqual(['GRULAC']);
    expect(registry.groupsOf('PSE').map((g) => g.code)).toEqual(['G77', 'NON-ALIGNED', 'ARAB']);
    expect(registry.groupsOf('XYZ')).toEqual([]);
    expect(registry.regionalGroupOf('KIR')?.code).toBe('APG');
    expect(registry.regionalGroupOf('EU')).toBeNull();
    expect(registry.membersOf('ARAB')).toContain('SYR');
    expect(registry.membersOf('NOPE')).toBeNull();
  });

  it('hands out data that cannot be changed behind its back', () => {
    const members = registry.membersOf('EU') as string[];
    expect(() => members.push('GBR')).toThrow(TypeError);
    expect(() => {
      (registry.memberStates[0] as { name: string }).name = 'Elsewhere';
    }).toThrow(TypeError);
    expect(registry.membersOf('EU')).toHaveLength(27);
  });
});

describe('ParticipantRegistry.search', () => {
  const registry = bundledRegistry();
  const codes = (query: string, options?: Parameters<typeof registry.search>[1]): string[] =>
    registry.search(query, options).map((p) => p.code);

  it('ignores accents, case and the kind of apostrophe', () => {
    expect(codes('cote')).toEqual(['CIV']);
    expect(codes('CÔTE D’IVOIRE')).toEqual(['CIV']);
    expect(codes('turkiye')).toEqual(['TUR']);
    expect(codes('Türk')).toEqual(['TUR', 'TKM']);
    expect(foldForSearch("Côte d'Ivoire")).toBe('cote d ivoire');
  });

  it('ranks an exact code first, then names that start with the query, then words, then substrings', () => {
    expect(codes('usa')[0]).toBe('USA');
    expect(codes('nam')).toEqual(['NAM', 'VNM', 'NON-ALIGNED', 'PAN', 'SUR']);
    expect(codes('korea')).toEqual(['PRK', 'KOR']);
    expect(codes('guinea')).toEqual(['GIN', 'GNB', 'GNQ', 'PNG']);
  });

  it('finds common names through aliases', () => {
    expect(codes('Turkey')).toEqual(['TUR']);
    expect(codes('vietnam')).toEqual(['VNM']);
    expect(codes('Ivory Coast')).toEqual(['CIV']);
    expect(codes('Vatican')).toEqual(['VAT']);
    expect(codes('Swaziland')).toEqual(['SWZ']);
  });

  it('filters by category and limits the results', () => {
    // With groups only, EU is the union group; with observers too, it is the observer, listed once.
    expect(registry.search('european', { categories: ['group'] }).map((p) => `${p.category}:${p.code}`)).toEqual([
      'group:EU',
      'group:EEG',
      'group:WEOG',
    ]);
    expect(registry.search('european').map((p) => `${p.category}:${p.code}`)).toEqual(['observer:EU', 'group:EEG', 'group:WEOG']);
    expect(codes('republic', { categories: ['member-state'], limit: 3 })).toHaveLength(3);
    expect(codes('states', { categories: ['observer'] })).toEqual([]);
    expect(codes('   ')).toEqual([]);
    expect(codes('zzzz')).toEqual([]);
  });
});

describe('editing groups', () => {
  const registry = bundledRegistry();

  it('adds and removes a member, returning a new registry and leaving the old one as it was', () => {
    const added = registry.withGroupMember('AOSIS', 'VAT');
    expect(added).not.toBe(registry);
    expect(added.membersOf('AOSIS')).toContain('VAT');
    expect(added.groupsOf('VAT').map((g) => g.code)).toEqual(['AOSIS']);
    expect(registry.membersOf('AOSIS')).not.toContain('VAT');

    const removed = added.withoutGroupMember('AOSIS', 'SGP');
    expect(removed.membersOf('AOSIS')).not.toContain('SGP');
    expect(removed.membersOf('AOSIS')).toHaveLength(37);
    expect(added.membersOf('AOSIS')).toContain('SGP');
  });

  it('treats adding a present member or removing an absent one as no change', () => {
    expect(registry.withGroupMember('EU', 'FRA')).toBe(registry);
    expect(registry.withoutGroupMember('EU', 'GBR')).toBe(registry);
  });

  it('refuses unknown codes, groups as members and unknown groups with a message naming them', () => {
    expect(refusal(() => registry.withGroupMember('EU', 'XYZ')).message).toMatch(/"XYZ" is not a known member State or observer/);
    expect(refusal(() => registry.withGroupMember('EU', 'G77')).message).toMatch(/"G77" is not a known member State or observer/);
    expect(refusal(() => registry.withGroupMember('EU', 'EU')).message).toMatch(/"EU": a group cannot be its own member/);
    expect(refusal(() => registry.withGroupMember('NOPE', 'FRA')).message).toMatch(/group "NOPE": there is no such group/);
    expect(refusal(() => registry.withoutGroup('NOPE')).message).toMatch(/there is no such group/);
  });

  it('refuses to edit regional groups, which follow the member States', () => {
    expect(refusal(() => registry.withGroupMember('WEOG', 'JPN')).message).toMatch(/regional groups follow member-states\.json/);
    expect(refusal(() => registry.withoutGroupMember('APG', 'KIR')).message).toMatch(/regional groups/);
    expect(refusal(() => registry.withoutGroup('AFRICAN')).message).toMatch(/regional groups/);
    expect(refusal(() => registry.withGroup({ code: 'OCEANIA', name: 'Oceania', kind: 'regional', members: [] })).message).toMatch(
      /regional groups/,
    );
  });

  it('adds a new group and removes it again', () => {
    const friends = registry.withGroup({ code: 'FRIENDS-OCEANS', name: 'Friends of the Oceans', kind: 'political', members: ['PLW', 'PRT', 'PSE'] });
    expect(friends.lookup('FRIENDS-OCEANS')).toMatchObject({ category: 'group', name: 'Friends of the Oceans' });
    expect(friends.groupsOf('PLW').map((g) => g.code)).toContain('FRIENDS-OCEANS');
    expect(friends.search('oceans').map((p) => p.code)).toEqual(['FRIENDS-OCEANS']);
    expect(registry.isKnownCode('FRIENDS-OCEANS')).toBe(false);
    const without = friends.withoutGroup('FRIENDS-OCEANS');
    expect(without.isKnownCode('FRIENDS-OCEANS')).toBe(false);
    expect(without.groups).toHaveLength(registry.groups.length);
  });

  it('refuses new groups whose code is taken or malformed, or whose members are unknown', () => {
    const group = (code: string, members: string[] = ['FRA']) => ({ code, name: `Group ${code}`, kind: 'political', members });
    expect(refusal(() => registry.withGroup(group('FRA'))).message).toMatch(/code "FRA"\): a group code cannot be a member State's code/);
    expect(refusal(() => registry.withGroup(group('G77'))).message).toMatch(/code "G77"\): the code is already used/);
    expect(refusal(() => registry.withGroup(group('VAT'))).message).toMatch(/may share its code only with the intergovernmental organization/);
    expect(refusal(() => registry.withGroup(group('bad code'))).message).toMatch(/new group \(code "bad code".*\): code: a code is 2 to 16/);
    expect(refusal(() => registry.withGroup(group('NEW-1', ['FRA', 'QQQ']))).message).toMatch(/members\[1\] "QQQ" is not a known/);
    expect(refusal(() => registry.withGroup({ ...group('NEW-2'), name: 'European Union', kind: 'union' })).message).toMatch(
      /the name "European Union" is already used/,
    );
  });

  it('saves edited groups in the groups.json shape, which loads back to the same groups', () => {
    const edited = registry.withGroupMember('LDC', 'PSE').withGroup({ code: 'G-ONE', name: 'Group One', kind: 'political', members: ['CHL'] });
    const file = edited.toGroupsFile();
    expect(file.source).toBe(groupsJson.source);
    const reloaded = createRegistry({ memberStates: memberStatesJson, observers: observersJson, groups: JSON.parse(JSON.stringify(file)) });
    expect(reloaded.groups).toEqual(edited.groups);
    expect(reloaded.membersOf('LDC')).toContain('PSE');
  });
});

describe('invalid data is refused with a message naming the bad entry', () => {
  it('refuses a malformed member State code', () => {
    const data = shippedData();
    data.memberStates.memberStates[5] = { ...data.memberStates.memberStates[5]!, code: 'AG' };
    const problems = problemsOf(data);
    expect(problems.join('\n')).toMatch(/member-states\.json: memberStates\[5\] \(code "AG", "Antigua and Barbuda"\): code: a member State code is three capital letters/);
  });

  it('refuses a duplicate code and a duplicate name', () => {
    const data = shippedData();
    data.memberStates.memberStates[1] = { ...data.memberStates.memberStates[1]!, code: 'AFG' };
    data.memberStates.memberStates[3] = { ...data.memberStates.memberStates[3]!, name: 'ALBANIA' };
    const text = problemsOf(data).join('\n');
    expect(text).toMatch(/memberStates\[1\] \(code "AFG"\): the code is already used by member-states\.json: memberStates\[0\]/);
    expect(text).toMatch(/memberStates\[3\] \("ALBANIA"\): the name is already used by member-states\.json: memberStates\[1\]/);
  });

  it('refuses a group member that is not a member State or observer', () => {
    const data = shippedData();
    const eu = data.groups.groups.findIndex((g) => g.code === 'EU');
    data.groups.groups[eu]!.members.push('GRL');
    expect(problemsOf(data)).toEqual([`groups.json: groups[${eu}] (code "EU"): members[27] "GRL" is not a known member State or observer`]);
  });

  it('refuses a State whose regional group does not list it, and a regional group listing a State of another', () => {
    const data = shippedData();
    const japan = data.memberStates.memberStates.findIndex((s) => s.code === 'JPN');
    data.memberStates.memberStates[japan]!.regionalGroup = 'WEOG';
    const text = problemsOf(data).join('\n');
    expect(text).toMatch(new RegExp(`memberStates\\[${japan}\\] \\(code "JPN", "Japan"\\): its regional group "WEOG" does not list it`));
    expect(text).toMatch(/regional group "APG" lists "JPN", whose regionalGroup is "WEOG"/);
  });

  it('refuses an observer that takes a member State code, and a group that takes one', () => {
    const observerData = shippedData();
    observerData.observers.observers[0]!.code = 'ITA';
    expect(problemsOf(observerData).join('\n')).toMatch(
      /observers\.json: observers\[0\] \(code "ITA"\): the code is already used by member-states\.json: memberStates\[\d+\]/,
    );
    const groupData = shippedData();
    groupData.groups.groups[6]!.code = 'DEU';
    expect(problemsOf(groupData).join('\n')).toMatch(/groups\.json: groups\[6\] \(code "DEU"\): a group code cannot be a member State's code/);
  });

  it('refuses unknown fields, wrong kinds and files of the wrong shape', () => {
    const data = shippedData();
    (data.observers.observers[1] as Record<string, unknown>)['status'] = 'observer';
    (data.groups.groups[2] as Record<string, unknown>)['kind'] = 'caucus';
    const text = problemsOf(data).join('\n');
    expect(text).toMatch(/observers\.json: observers\[1\] \(code "PSE", "State of Palestine"\): .*status/);
    expect(text).toMatch(/groups\.json: groups\[2\] \(code "EEG", "Eastern European States"\): kind: /);
    expect(problemsOf({ memberStates: [], observers: observersJson, groups: groupsJson }).join('\n')).toMatch(/^member-states\.json: /);
    expect(problemsOf({ memberStates: memberStatesJson, observers: null, groups: groupsJson }).join('\n')).toMatch(/^observers\.json: /);
  });

  it('keeps the message short when many entries are bad, with every problem in `problems`', () => {
    const data = shippedData();
    for (const state of data.memberStates.memberStates) state.code = state.code.toLowerCase();
    let error: ParticipantDataError | null = null;
    try {
      createRegistry(data);
    } catch (caught) {
      error = caught as ParticipantDataError;
    }
    expect(error?.problems).toHaveLength(193);
    expect(error?.message).toMatch(/\(and 181 more\)$/);
  });
});

describe('DocumentParticipants', () => {
  const registry = bundledRegistry();

  it('accepts member States, observers and groups, in the given order', () => {
    const document = parseDocumentParticipants(registry, { participants: ['G77', 'EU', 'USA', 'VAT', 'PSE'] });
    expect(document.participants).toEqual(['G77', 'EU', 'USA', 'VAT', 'PSE']);
  });

  it('refuses unknown codes, codes listed twice and malformed input, naming each entry', () => {
    expect(() => parseDocumentParticipants(registry, { participants: ['FRA', 'XYZ'] })).toThrow(
      /participants\[1\] "XYZ" is not a known member State, observer or group/,
    );
    expect(() => parseDocumentParticipants(registry, { participants: ['FRA', 'DEU', 'FRA'] })).toThrow(/participants\[2\] "FRA" is listed twice/);
    expect(() => parseDocumentParticipants(registry, { participants: ['FRA', 'fra'] })).toThrow(/participants\[1\] "fra": a code is 2 to 16/);
    expect(() => parseDocumentParticipants(registry, { participants: 'FRA' })).toThrow(/document participants: participants: /);
    expect(() => parseDocumentParticipants(registry, null)).toThrow(ParticipantDataError);
  });

  it('adds and removes participants without changing the original', () => {
    const start = parseDocumentParticipants(registry, { participants: ['FRA'] });
    const more = withParticipant(registry, start, 'AOSIS');
    expect(more.participants).toEqual(['FRA', 'AOSIS']);
    expect(start.participants).toEqual(['FRA']);
    expect(withParticipant(registry, more, 'FRA')).toBe(more);
    expect(withoutParticipant(more, 'FRA').participants).toEqual(['AOSIS']);
    expect(withoutParticipant(more, 'DEU')).toBe(more);
    expect(() => withParticipant(registry, start, 'XYZ')).toThrow(/"XYZ" is not a known/);
  });

  it('refuses a group that an edited registry no longer has', () => {
    const edited = registry.withGroup({ code: 'AD-HOC', name: 'Ad hoc group', kind: 'political', members: ['NOR'] });
    const document = parseDocumentParticipants(edited, { participants: ['AD-HOC'] });
    expect(() => parseDocumentParticipants(edited.withoutGroup('AD-HOC'), document)).toThrow(/"AD-HOC" is not a known/);
  });
});
