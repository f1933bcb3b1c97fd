import { describe, expect, it } from 'vitest';
import { parseLrc } from '../../../src/providers/lrclib/lrc.js';

describe('parseLrc', () => {
  it('reads [mm:ss.xx] lines into milliseconds and text', () => {
    // Two lines as LRCLIB sends them (https://lrclib.net/docs example record).
    expect(parseLrc('[00:17.12] I feel your breath upon my neck\n[00:20.41] A soft caress as cold as death')).toEqual([
      { timeMs: 17_120, text: 'I feel your breath upon my neck' },
      { timeMs: 20_410, text: 'A soft caress as cold as death' },
    ]);
  });

  it('gives one entry per time tag of a repeated line, sorted by time', () => {
    expect(parseLrc('[00:10.00]Verse\n[00:05.00][00:15.50]Chorus')).toEqual([
      { timeMs: 5_000, text: 'Chorus' },
      { timeMs: 10_000, text: 'Verse' },
      { timeMs: 15_500, text: 'Chorus' },
    ]);
  });

  it('reads tenths, hundredths, milliseconds, no fraction and a colon before the fraction', () => {
    expect(parseLrc('[01:02.5]a\n[01:02.50]b\n[01:02.500]c\n[01:02]d\n[01:02:25]e').map((line) => line.timeMs)).toEqual([
      62_000, 62_250, 62_500, 62_500, 62_500,
    ]);
  });

  it('ignores ID tags and lines without a time, and applies [offset:±ms]', () => {
    const lrc = ['[ar:Borislav Slavov]', '[ti:I Want to Live]', '[length: 03:53]', '[offset:+500]', 'no time here', '[00:17.12]Line'].join('\n');
    expect(parseLrc(lrc)).toEqual([{ timeMs: 16_620, text: 'Line' }]);
    expect(parseLrc('[offset:-250]\n[00:01.00]Late')).toEqual([{ timeMs: 1_250, text: 'Late' }]);
    // An offset larger than the first time does not go below zero.
    expect(parseLrc('[offset:5000]\n[00:01.00]Early')).toEqual([{ timeMs: 0, text: 'Early' }]);
  });

  it('drops word timings of enhanced LRC and keeps empty timed lines', () => {
    expect(parseLrc('[00:12.00]<00:12.00>Hello <00:12.50>world\r\n[00:14.00] ')).toEqual([
      { timeMs: 12_000, text: 'Hello world' },
      { timeMs: 14_000, text: '' },
    ]);
  });

  it('keeps the file order of lines with the same time', () => {
    expect(parseLrc('[00:01.00]first\n[00:01.00]second').map((line) => line.text)).toEqual(['first', 'second']);
  });

  it('gives nothing for text without time tags', () => {
    expect(parseLrc('')).toEqual([]);
    expect(parseLrc('Just words\nand more')).toEqual([]);
  });
});
