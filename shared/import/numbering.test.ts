import { describe, expect, it } from 'vitest';
import { ListCounters, NumberingDefinitions, counterLabel, listKindOf } from './numbering.ts';
import { StyleSheet } from './styles.ts';

type Element = [string, Record<string, string>, Element[]?];

function definitions(elements: Element[], styles = new StyleSheet()): NumberingDefinitions {
  const result = new NumberingDefinitions(styles);
  const sink = result.sink();
  const feed = ([name, attrs, children]: Element): void => {
    sink.open(name, attrs);
    for (const child of children ?? []) feed(child);
    sink.close(name);
  };
  elements.forEach(feed);
  return result;
}

const level = (ilvl: number, format: string, start = 1): Element => ['w:lvl', { 'w:ilvl': String(ilvl) }, [['w:start', { 'w:val': String(start) }], ['w:numFmt', { 'w:val': format }]]];

describe('NumberingDefinitions', () => {
  const numbering = definitions([
    ['w:abstractNum', { 'w:abstractNumId': '10' }, [level(0, 'decimal'), level(1, 'lowerLetter'), level(2, 'lowerRoman')]],
    ['w:abstractNum', { 'w:abstractNumId': '11' }, [level(0, 'bullet')]],
    ['w:num', { 'w:numId': '1' }, [['w:abstractNumId', { 'w:val': '10' }]]],
    ['w:num', { 'w:numId': '2' }, [['w:abstractNumId', { 'w:val': '10' }]]],
    ['w:num', { 'w:numId': '3' }, [['w:abstractNumId', { 'w:val': '10' }], ['w:lvlOverride', { 'w:ilvl': '0' }, [['w:startOverride', { 'w:val': '5' }]]]]],
    ['w:num', { 'w:numId': '4' }, [['w:abstractNumId', { 'w:val': '11' }], ['w:lvlOverride', { 'w:ilvl': '0' }, [level(0, 'upperRoman')]]]],
  ]);

  it('resolves levels through nums, with start and level overrides', () => {
    expect(numbering.level('1', 0)).toEqual({ format: 'decimal', kind: 'numbered', start: 1 });
    expect(numbering.level('1', 1)?.kind).toBe('lettered');
    expect(numbering.level('1', 2)?.format).toBe('lowerRoman');
    expect(numbering.level('3', 0)?.start).toBe(5);
    expect(numbering.level('4', 0)).toEqual({ format: 'upperRoman', kind: 'lettered', start: 1 });
    expect(numbering.level('0', 0)).toBeNull();
    expect(numbering.level('99', 0)).toBeNull();
    expect(numbering.level('1', 5)).toBeNull();
  });

  it('shares counters between nums of one definition unless a num restarts', () => {
    expect(numbering.counterKey('1')).toBe(numbering.counterKey('2'));
    expect(numbering.counterKey('3')).not.toBe(numbering.counterKey('1'));
  });

  it('follows a numStyleLink through the numbering style', () => {
    const styles = new StyleSheet();
    const sink = styles.sink();
    sink.open('w:style', { 'w:styleId': 'UNList', 'w:type': 'numbering' });
    sink.open('w:pPr', {});
    sink.open('w:numPr', {});
    sink.open('w:numId', { 'w:val': '7' });
    sink.close('w:numId');
    sink.close('w:numPr');
    sink.close('w:pPr');
    sink.close('w:style');
    const linked = definitions(
      [
        ['w:abstractNum', { 'w:abstractNumId': '1' }, [['w:numStyleLink', { 'w:val': 'UNList' }]]],
        ['w:abstractNum', { 'w:abstractNumId': '2' }, [level(0, 'lowerLetter')]],
        ['w:num', { 'w:numId': '6' }, [['w:abstractNumId', { 'w:val': '1' }]]],
        ['w:num', { 'w:numId': '7' }, [['w:abstractNumId', { 'w:val': '2' }]]],
      ],
      styles,
    );
    expect(linked.level('6', 0)?.format).toBe('lowerLetter');
  });
});

describe('list counters and labels', () => {
  it('counts per level and restarts deeper levels', () => {
    const counters = new ListCounters();
    expect([counters.next('a', 0, 1), counters.next('a', 1, 1), counters.next('a', 1, 1), counters.next('a', 0, 1), counters.next('a', 1, 1)]).toEqual([1, 1, 2, 2, 1]);
    expect(counters.next('b', 0, 7)).toBe(7);
  });

  it('labels counters as Word prints them', () => {
    expect(counterLabel('decimal', 12)).toBe('12');
    expect(counterLabel('lowerLetter', 2)).toBe('b');
    expect(counterLabel('lowerLetter', 27)).toBe('aa');
    expect(counterLabel('upperLetter', 3)).toBe('C');
    expect(counterLabel('lowerRoman', 4)).toBe('iv');
    expect(counterLabel('upperRoman', 9)).toBe('IX');
    expect(listKindOf('bullet')).toBe('bullet');
    expect(listKindOf('none')).toBe('none');
    expect(listKindOf('decimalZero')).toBe('numbered');
  });
});
