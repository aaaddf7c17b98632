import { AnsiParser, ansiPresentation, stripAnsi } from '../reana/ansi';
import { LogBuffer } from '../reana/LogBuffer';
import { layoutStyled } from '../reana/components/LogView';

describe('terminal colours in logs', () => {
  it('reads colours and resets into styled stretches, the codes taken out', () => {
    const parser = new AnsiParser();
    expect(parser.parse('\x1b[31mError\x1b[0m: rule failed')).toEqual([
      { text: 'Error', style: { fg: 'red' } },
      { text: ': rule failed', style: {} }
    ]);
    expect(parser.parse('\x1b[1;92mok\x1b[22m done')).toEqual([
      { text: 'ok', style: { bold: true, fg: 'bright-green' } },
      { text: ' done', style: { fg: 'bright-green' } }
    ]);
  });

  it('carries a style to the next line until it is reset, as a terminal does', () => {
    const parser = new AnsiParser();
    parser.parse('\x1b[33mwarning: first');
    expect(parser.parse('second\x1b[m')).toEqual([{ text: 'second', style: { fg: 'yellow' } }]);
    expect(parser.parse('plain')).toEqual([{ text: 'plain', style: {} }]);
  });

  it('takes 256-colour and 24-bit colours, and drops every other escape', () => {
    const parser = new AnsiParser();
    expect(parser.parse('\x1b[38;5;196mA\x1b[48;2;1;2;3mB\x1b[0m')).toEqual([
      { text: 'A', style: { fg: 'rgb(255, 0, 0)' } },
      { text: 'B', style: { fg: 'rgb(255, 0, 0)', bg: 'rgb(1, 2, 3)' } }
    ]);
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress\x1b]0;title\x07 \x1b[?25ldone')).toBe('progress done');
  });

  it('presents colours as theme classes, inverse as swapped colours', () => {
    expect(ansiPresentation({ fg: 'red', bold: true })).toEqual({
      className: 'jp-ReanaOpenbis-ansi-fg-red jp-ReanaOpenbis-ansi-bold',
      css: {}
    });
    expect(ansiPresentation({ inverse: true }).className).toBe(
      'jp-ReanaOpenbis-ansi-fg-default-bg jp-ReanaOpenbis-ansi-bg-default-fg'
    );
    expect(ansiPresentation({ fg: 'rgb(1, 2, 3)' }).css).toEqual({ color: 'rgb(1, 2, 3)' });
  });

  it('lays out a styled line with tabs and wrapping as the plain text would be', () => {
    const line = [
      { text: 'a\tb', style: { fg: 'red' } },
      { text: ' ccc ddd', style: {} }
    ];
    const shown = layoutStyled(line, 10);
    expect(shown.map(s => s.text).join('')).toBe('a       b \nccc ddd');
    expect(shown[0].style).toEqual({ fg: 'red' });
  });
});

describe('LogBuffer with colours and hidden characters', () => {
  it('keeps the text as shown and the stretches of coloured lines only', () => {
    const log = new LogBuffer();
    log.apply({ text: 'plain\n\x1b[31mred\x1b[0m\n', offset: 0, reset: false });
    expect(log.lines).toEqual(['plain', 'red', '']);
    expect(log.styles(0)).toBeNull();
    expect(log.styles(1)).toEqual([{ text: 'red', style: { fg: 'red' } }]);
    expect(log.text).toBe('plain\nred\n');
  });

  it('waits for an escape sequence cut in two by the pieces', () => {
    const log = new LogBuffer();
    log.apply({ text: 'ab\x1b[3', offset: 0, reset: false });
    expect(log.lines).toEqual(['ab']);
    log.apply({ text: '2mcd\n', offset: 6, reset: false });
    expect(log.lines).toEqual(['abcd', '']);
    expect(log.styles(0)).toEqual([
      { text: 'ab', style: {} },
      { text: 'cd', style: { fg: 'green' } }
    ]);
  });

  it('writes out characters that would reorder the line', () => {
    const log = new LogBuffer();
    log.apply({ text: 'file \u202eevil\u202c.txt\n', offset: 0, reset: false });
    expect(log.lines[0]).toBe('file ⟨U+202E⟩evil⟨U+202C⟩.txt');
  });
});
