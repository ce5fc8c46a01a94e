// Text that came from a drop root (file names, cells quoted in a problem, a withdrawal's reason)
// printed on an operator's terminal: control characters would move the cursor, clear the screen
// or start a fake line, and bidirectional overrides would show a name reversed. They are shown as
// escapes instead.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
