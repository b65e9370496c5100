import { describe, expect, it } from 'vitest';
import { StyleSheet, onOff, readRunProperty, type RunFormat } from './styles.ts';

/** Feeds a styles part (as elements) to a sheet, without zip or XML text. */
function sheet(styles: Array<{ attrs: Record<string, string>; children: Array<[string, Record<string, string>, Array<[string, Record<string, string>]>?]> }>): StyleSheet {
  const result = new StyleSheet();
  const sink = result.sink();
  for (const style of styles) {
    sink.open('w:style', style.attrs);
    for (const [name, attrs, children] of style.children) {
      sink.open(name, attrs);
      for (const [child, childAttrs] of children ?? []) {
        sink.open(child, childAttrs);
        sink.close(child);
      }
      sink.close(name);
    }
    sink.close('w:style');
  }
  return result;
}

describe('StyleSheet', () => {
  const styles = sheet([
    { attrs: { 'w:styleId': 'Heading1', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'heading 1' }]] },
    { attrs: { 'w:styleId': 'Titre2', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Titre 2' }]] },
    { attrs: { 'w:styleId': 'Custom', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'My section' }], ['w:pPr', {}, [['w:outlineLvl', { 'w:val': '1' }]]]] },
    { attrs: { 'w:styleId': 'BodyOutline', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Body' }], ['w:pPr', {}, [['w:outlineLvl', { 'w:val': '9' }]]]] },
    { attrs: { 'w:styleId': 'Derived', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Derived' }], ['w:basedOn', { 'w:val': 'Custom' }]] },
    { attrs: { 'w:styleId': 'H23G', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': '_ H_2/3_G' }]] },
    { attrs: { 'w:styleId': 'HChG', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': '_ H _Ch_G' }]] },
    { attrs: { 'w:styleId': 'Title', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Title' }]] },
    { attrs: { 'w:styleId': 'ListPara', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'List' }], ['w:pPr', {}, [['w:numPr', {}]]]] },
    { attrs: { 'w:styleId': 'Loop1', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Loop 1' }], ['w:basedOn', { 'w:val': 'Loop2' }]] },
    { attrs: { 'w:styleId': 'Loop2', 'w:type': 'paragraph' }, children: [['w:name', { 'w:val': 'Loop 2' }], ['w:basedOn', { 'w:val': 'Loop1' }]] },
    { attrs: { 'w:styleId': 'Strong', 'w:type': 'character' }, children: [['w:name', { 'w:val': 'Strong' }], ['w:rPr', {}, [['w:b', {}]]]] },
    { attrs: { 'w:styleId': 'StrongItalic', 'w:type': 'character' }, children: [['w:basedOn', { 'w:val': 'Strong' }], ['w:rPr', {}, [['w:i', {}], ['w:b', { 'w:val': '0' }]]]] },
  ]);

  it('finds headings by name (built-in, localized, UN), by outline level and through basedOn', () => {
    expect(styles.paragraph('Heading1').outline).toBe(0);
    expect(styles.paragraph('Titre2').outline).toBe(1);
    expect(styles.paragraph('Custom').outline).toBe(1);
    expect(styles.paragraph('Derived').outline).toBe(1);
    expect(styles.paragraph('H23G').outline).toBe(1);
    expect(styles.paragraph('HChG').outline).toBe(0);
    expect(styles.paragraph('BodyOutline').outline).toBeNull();
    expect(styles.paragraph('Loop1').outline).toBeNull();
    expect(styles.paragraph(null).outline).toBeNull();
    expect(styles.paragraph('Unknown').outline).toBeNull();
  });

  it('knows the title style and a style that carries numbering', () => {
    expect(styles.paragraph('Title').title).toBe(true);
    expect(styles.paragraph('Heading1').title).toBe(false);
    expect(styles.paragraph('ListPara').numbering).toBeNull();
  });

  it('resolves character formats nearest style first', () => {
    expect(styles.character('Strong')).toEqual({ bold: true });
    expect(styles.character('StrongItalic')).toEqual({ bold: false, italic: true });
  });

  it('reads on/off values the way Word writes them', () => {
    expect(onOff({})).toBe(true);
    for (const value of ['true', '1', 'on']) expect(onOff({ 'w:val': value })).toBe(true);
    for (const value of ['false', '0', 'off']) expect(onOff({ 'w:val': value })).toBe(false);
    const format: RunFormat = {};
    readRunProperty('w:u', { 'w:val': 'double' }, format);
    readRunProperty('w:vertAlign', { 'w:val': 'superscript' }, format);
    readRunProperty('w:highlight', { 'w:val': 'none' }, format);
    expect(format).toEqual({ underline: true, shifted: true, highlight: false });
    expect(readRunProperty('w:color', { 'w:val': 'FF0000' }, format)).toBe(false);
  });
});
