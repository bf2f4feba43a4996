/**
 * Text laid out for a terminal: how many columns a string takes, and words
 * wrapped to a width. Emoji such as ✅ take two columns, as terminals draw them.
 */

const WIDE =
  /\p{Emoji_Presentation}|[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const ZERO = /\p{Mn}|\p{Me}|\p{Cf}/u;
const EMOJI = /\p{Emoji}/u;

/** Columns `text` takes in a terminal: wide characters and emoji two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  const chars = [...text];
  chars.forEach((char, index) => {
    if (char === "\uFE0F") return;
    if (ZERO.test(char)) return;
    // A text-style symbol followed by the emoji selector (⚠️) is drawn as an emoji.
    const asEmoji = chars[index + 1] === "\uFE0F" && EMOJI.test(char);
    width += asEmoji || WIDE.test(char) ? 2 : 1;
  });
  return width;
}

/** `text` padded with spaces to `width` columns. */
export function pad(text: string, width: number, align: "left" | "right" | "center" = "left"): string {
  const room = Math.max(0, width - displayWidth(text));
  if (align === "right") return `${" ".repeat(room)}${text}`;
  if (align === "center") return `${" ".repeat(Math.floor(room / 2))}${text}${" ".repeat(Math.ceil(room / 2))}`;
  return `${text}${" ".repeat(room)}`;
}

/**
 * The lines of `text` wrapped at spaces to at most `width` columns, `first`
 * before the first line and `rest` before the others (a list marker and its
 * hanging indent). A word longer than a line is cut. Line breaks in `text`
 * stay, and so does a line that fits, spaces and all.
 */
export function wrap(text: string, width: number, first = "", rest = " ".repeat(displayWidth(first))): string[] {
  const lines: string[] = [];
  let line = first;
  let room = Math.max(1, width - displayWidth(first));
  let empty = true;
  const newLine = () => {
    lines.push(line.trimEnd());
    line = rest;
    room = Math.max(1, width - displayWidth(rest));
    empty = true;
  };
  text.split("\n").forEach((paragraph, index) => {
    if (index > 0) newLine();
    // A line that fits stays as it is, its spaces (an aligned column) too.
    if (empty && displayWidth(paragraph) <= room) {
      line += paragraph;
      room -= displayWidth(paragraph);
      empty = paragraph === "";
      return;
    }
    for (const word of paragraph.split(" ").filter((part) => part !== "")) {
      let remaining = word;
      const needed = displayWidth(remaining) + (empty ? 0 : 1);
      if (!empty && needed > room) newLine();
      if (!empty) {
        line += " ";
        room -= 1;
      }
      // A word wider than a whole line: as much of it as fits, then the rest on the next lines.
      while (displayWidth(remaining) > room) {
        const [head, tail] = cut(remaining, room);
        line += head;
        remaining = tail;
        newLine();
      }
      line += remaining;
      room -= displayWidth(remaining);
      empty = false;
    }
  });
  lines.push(line.trimEnd());
  return lines;
}

/** The first `width` columns of `word` (at least one character), and the rest. */
function cut(word: string, width: number): [string, string] {
  const chars = [...word];
  let head = "";
  let used = 0;
  let index = 0;
  while (index < chars.length) {
    const next = displayWidth(chars[index]!);
    if (used + next > width && head !== "") break;
    head += chars[index]!;
    used += next;
    index += 1;
  }
  return [head, chars.slice(index).join("")];
}
