import { describe, expect, it } from "vitest";
import { globProblem, literalPrefix, patternsOverlap } from "../../src/plan/glob.js";

describe("patternsOverlap", () => {
  it("a literal path overlaps a glob that matches it", () => {
    expect(patternsOverlap("backend/app/models/user.py", "backend/**")).toBe(true);
    expect(patternsOverlap("backend/**", "backend/app/models/user.py")).toBe(true);
    expect(patternsOverlap("frontend/src/a.ts", "backend/**")).toBe(false);
  });

  it("two literals overlap only when equal", () => {
    expect(patternsOverlap("a/b.ts", "a/b.ts")).toBe(true);
    expect(patternsOverlap("a/b.ts", "a/c.ts")).toBe(false);
  });

  it("two globs overlap when one literal prefix starts the other", () => {
    expect(patternsOverlap("backend/app/models/**", "backend/**")).toBe(true);
    expect(patternsOverlap("backend/**", "backend2/**")).toBe(false);
    expect(patternsOverlap("docs/*.md", "docs/en/**")).toBe(true);
    expect(patternsOverlap("src/a/**", "src/b/**")).toBe(false);
  });

  it("takes the literal part before the first wildcard", () => {
    expect(literalPrefix("backend/app/*.py")).toBe("backend/app/");
    expect(literalPrefix("README.md")).toBe("README.md");
  });
});

describe("globProblem", () => {
  it("accepts ordinary paths and globs", () => {
    for (const ok of ["backend/app/models/**", "frontend/src/pages/TopicsPage/index.tsx", "docs/{en,uk}/*.md", ".github/x.yml"]) {
      expect(globProblem(ok)).toBeUndefined();
    }
  });

  it.each([
    ["/etc/passwd", "relative"],
    ["../outside/**", "inside the repository"],
    ["src/[abc.ts", "balanced"],
    ["src/{a,b.ts", "balanced"],
    ["src\\win.ts", "forward slashes"],
    [" spaced.ts", "surrounding spaces"],
  ])("refuses %j", (pattern, expected) => {
    expect(globProblem(pattern)).toContain(expected);
  });
});
