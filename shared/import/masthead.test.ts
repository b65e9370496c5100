import { describe, expect, it } from 'vitest';
import { isDocumentSymbol, mastheadLines, recognizeMasthead, type MastheadCandidate } from './masthead.ts';

const line = (text: string, more: Partial<MastheadCandidate> = {}): MastheadCandidate => ({ lines: mastheadLines(text), allBold: false, titleStyle: false, table: false, ...more });

describe('recognizeMasthead', () => {
  it('reads the UN masthead of a table-based template and the bold title after it', () => {
    const masthead = recognizeMasthead([
      line('United Nations\tA/78/265', { table: true }),
      line('General Assembly\tDistr.: General\n28 July 2023\n\nOriginal: English', { table: true }),
      line('Seventy-eighth session\nItem 94 of the provisional agenda*'),
      line('Developments in the field of information and telecommunications', { allBold: true }),
      line('Report of the Secretary-General'),
    ]);
    expect(masthead).toEqual({
      fields: {
        symbol: 'A/78/265',
        distribution: 'General',
        date: '28 July 2023',
        originalLanguage: 'English',
        session: 'Seventy-eighth session',
        agenda: 'Item 94 of the provisional agenda*',
      },
      title: 3,
      consumed: 4,
    });
  });

  it('ends a masthead without a title after its last masthead line', () => {
    const masthead = recognizeMasthead([line('A/AC.292/2024/L.1'), line('Distr.: Limited'), line('The working group met in New York.')]);
    expect(masthead).toEqual({ fields: { symbol: 'A/AC.292/2024/L.1', distribution: 'Limited' }, title: null, consumed: 2 });
  });

  it('needs a symbol and a masthead line beside it', () => {
    expect(recognizeMasthead([line('Introduction'), line('Distr.: General')])).toBeNull();
    expect(recognizeMasthead([line('A/78/265'), line('As agreed in that report, the group met.')])).toBeNull();
    const late = [...Array.from({ length: 9 }, (_, n) => line(`Paragraph ${n}.`)), line('A/78/265'), line('Distr.: General')];
    expect(recognizeMasthead(late)).toBeNull();
  });

  it('recognizes a masthead whose symbol is still blank by its organ and distribution lines', () => {
    const masthead = recognizeMasthead([
      line('United Nations\tGeneral Assembly\tDistr.: General\tOriginal: English', { table: true }),
      line('Draft report', { allBold: true }),
      line('Text.'),
    ]);
    expect(masthead).toEqual({ fields: { distribution: 'General', originalLanguage: 'English' }, title: 1, consumed: 2 });
    expect(recognizeMasthead([line('Distr.: General'), line('Some text.')])).toBeNull();
  });

  it('takes a title-style paragraph even when it is not bold', () => {
    const masthead = recognizeMasthead([line('A/HRC/55/L.1/Rev.1'), line('Original: French'), line('Draft resolution', { titleStyle: true })]);
    expect(masthead?.title).toBe(2);
    expect(masthead?.fields.originalLanguage).toBe('French');
  });
});

describe('document symbols and lines', () => {
  it('recognizes UN symbols and nothing else', () => {
    for (const symbol of ['A/78/265', 'A/AC.292/2024/L.1', 'E/CN.6/2024/L.3', 'CCW/GGE.1/2023/2', 'A/HRC/55/L.1/Rev.1', 'S/2024/123']) {
      expect(isDocumentSymbol(symbol)).toBe(true);
    }
    for (const text of ['and/or', 'N/A', 'A/B', '2024/25', 'United Nations', 'a/78/265']) expect(isDocumentSymbol(text)).toBe(false);
  });

  it('cuts lines at breaks, tabs and wide spaces', () => {
    expect(mastheadLines('United Nations\tA/78/265\nGeneral   Assembly \n\n')).toEqual(['United Nations', 'A/78/265', 'General', 'Assembly']);
  });
});
