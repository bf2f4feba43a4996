import { describe, expect, it } from "vitest";
import { terminalText } from "../../src/cli/terminalText.js";
import { displayWidth } from "../../src/cli/wrap.js";

describe("Markdown as terminal text", () => {
  it("aligns a table's columns, emoji counted two columns wide, right-aligned columns to the right", () => {
    const text = terminalText("| figure | value |\n| --- | ---: |\n| ✅ accepted | 6 |\n| rework | 10 % |\n", 80);
    expect(text).toBe("figure       value\n───────────  ─────\n✅ accepted      6\nrework        10 %\n");
  });

  it("wraps a table too wide for the terminal at spaces, within the width", () => {
    const long = "a conflict zone owned by the backend domain, which the frontend waits for";
    const text = terminalText(`| File | Why |\n| --- | --- |\n| \`shared/types/notification.ts\` | ${long} |\n`, 50);
    expect(text.split("\n")[2]).toBe("shared/types/notification.ts  a conflict zone");
    expect(Math.max(...text.split("\n").map(displayWidth))).toBeLessThanOrEqual(50);
    expect(text.replace(/\s+/g, " ")).toContain(long);
  });

  it("keeps links' addresses, drops HTML and emphasis, keeps code as it is, and quotes", () => {
    const text = terminalText(
      "See **[#8](https://github.com/acme/shop/pull/8)** <!-- hidden -->\n\n<details>\n<summary>More</summary>\n\n```sh\nnpm  test\n```\n\n</details>\n\n> quoted *words*\n",
      80,
    );
    expect(text).toBe("See #8 (https://github.com/acme/shop/pull/8)\n\n    npm  test\n\n│ quoted words\n");
  });

  it("numbers ordered lists and indents what is nested under an item", () => {
    expect(terminalText("1. one\n2. two\n   - nested item that goes on for a while\n", 24)).toBe(
      "1. one\n2. two\n   - nested item that\n     goes on for a while\n",
    );
  });
});
