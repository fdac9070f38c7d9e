import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logicalLines, splitWords } from '../../../src/config/lexer.js';

void test('logical lines drop blanks and # comments, keep first line numbers, join continuations', () => {
  const cases: [string, { text: string; line: number }[]][] = [
    ['A b\n\n# c\n  D e  ', [{ text: 'A b', line: 1 }, { text: 'D e', line: 4 }]],
    // The line number is the last physical line's, as httpd reports it.
    ['A \\\n  b \\\n c\nD', [{ text: 'A   b  c', line: 3 }, { text: 'D', line: 4 }]],
    // A backslash followed by a blank is not a continuation.
    ['A \\ \nB', [{ text: 'A \\', line: 1 }, { text: 'B', line: 2 }]],
    ['A b # not a comment', [{ text: 'A b # not a comment', line: 1 }]],
    // httpd: a comment ending in a backslash swallows the next line.
    ['# comment \\\nHidden x\nShown', [{ text: 'Shown', line: 3 }]],
    // httpd continues even after an escaped backslash: the last backslash is removed.
    ['A b\\\\\nC', [{ text: 'A b\\C', line: 2 }]],
    ['A\r\nB\r\n', [{ text: 'A', line: 1 }, { text: 'B', line: 2 }]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(logicalLines(input), expected, JSON.stringify(input));
});

void test('words are split like ap_getword_conf, with quotes and escapes', () => {
  const cases: [string, string[]][] = [
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a \"b\"' c", ['a "b"', 'c']],
    ['"a \\"q\\" b"', ['a "q" b']],
    ['"back\\\\slash"', ['back\\slash']],
    ['"\\n stays"', ['\\n stays']],
    ['un\\\\quoted', ['un\\quoted']],
    ['x"y z"', ['x"y', 'z"']],
    ['"unterminated quote', ['unterminated quote']],
    ['"" empty', ['', 'empty']],
  ];
  for (const [input, expected] of cases) assert.deepEqual(splitWords(input), expected, input);
});
