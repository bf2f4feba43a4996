import { describe, expect, it } from "vitest";
import {
  codeSpan,
  inlineText,
  listItem,
  neutraliseFences,
  oneLine,
  safeUrl,
  tableCode,
  thousands,
  truncate,
} from "../../src/base/markdownText.js";
import { formatMinutes, estimateText } from "../../src/base/minutes.js";
import { toString, tree } from "../render/markdownTree.js";

describe("markdown helpers", () => {
  it("renders inline user text exactly as written", () => {
    const texts = [
      "a *b* _c_ `d` [e](f) <g> | h ~i~ & j \\ k",
      "Line\nbreak",
      "Cyrillic: сповіщення",
      "&lt; stays literal",
    ];
    for (const text of texts) {
      const root = tree(`Before ${inlineText(text)} after`);
      expect(root.children).toHaveLength(1);
      expect(toString(root)).toBe(`Before ${oneLine(text)} after`);
    }
  });

  it("keeps @mentions from pinging", () => {
    expect(inlineText("ask @octocat and @org/team")).toBe("ask @\u2060octocat and @\u2060org/team");
    expect(inlineText("mail a@b.c")).toBe("mail a@\u2060b.c");
  });

  it("makes code spans that hold any backticks", () => {
    for (const text of ["npm test", "echo `x`", "``", "a ``` b", "`lead"]) {
      const root = tree(codeSpan(text));
      const para = root.children[0];
      const code = para?.type === "paragraph" ? para.children[0] : undefined;
      expect(code?.type).toBe("inlineCode");
      expect(code?.type === "inlineCode" ? code.value : "").toBe(text);
    }
    expect(tableCode("a|b")).toBe("`a\\|b`");
  });

  it("keeps multi-line user text inside its list item", () => {
    const text = "Do this\n**Return**:\n```js\nopen fence\n# Heading\n<!-- comment";
    const md = `**Task**:\n${listItem("1.", text)}\n\n**Next**:\n- after`;
    expect(md.split("\n").filter((l) => l.startsWith("**"))).toEqual(["**Task**:", "**Next**:"]);
    const root = tree(md);
    expect(root.children.map((n) => n.type)).toEqual(["paragraph", "list", "paragraph", "list"]);
    expect(toString(root.children[2] ?? root)).toBe("Next:");
    expect(neutraliseFences("  ~~~ ts")).toBe("  \\~~~ ts");
  });

  it("truncates without splitting characters", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("ab😀cd", 4)).toBe("ab…");
    expect(truncate("short", 10)).toBe("short");
  });

  it("links https only", () => {
    expect(safeUrl("https://github.com/a/b/pull/1")).toBe("https://github.com/a/b/pull/1");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("http://example.com")).toBeUndefined();
    expect(safeUrl("https://x.y/a)b")).toBe("https://x.y/a%29b");
  });

  it("formats numbers and minutes", () => {
    expect(thousands(60000)).toBe("60,000");
    expect(thousands(999)).toBe("999");
    expect(thousands(1234567.5)).toBe("1,234,567.5");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(60)).toBe("1 h");
    expect(formatMinutes(125)).toBe("2 h 5 min");
    expect(estimateText(20)).toBe("20min");
    expect(estimateText(17.5)).toBe("17.5min");
  });
});
