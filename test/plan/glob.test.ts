import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { globProblem, literalPrefix, matches, patternsOverlap } from "../../src/plan/glob.js";
import { MAX_ALTERNATIVES, MAX_PATTERN_LENGTH, MAX_WILDCARDS } from "../../src/plan/globMatcher.js";

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
    for (const ok of [
      "backend/app/models/**",
      "frontend/src/pages/TopicsPage/index.tsx",
      "docs/{en,uk}/*.md",
      ".github/x.yml",
    ]) {
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

describe("matches", () => {
  // Globs as breakdowns and configs write them, and paths as git names them (no trailing `/`).
  const patterns = [
    "a/**",
    "**/x",
    "a/**/b",
    "a**b",
    "a/b**",
    "**",
    "*",
    "**/*.ts",
    "a/{b,c}/d",
    "[^a]b",
    "a?c",
    "src/**/",
    "a/**/**/b",
    "**/",
    "a/*/",
    "a/*",
    "*/",
    "[a-c]x",
    "a/[b]",
    "{a,b/**}",
    "**/a/**",
    "x/**/*",
    "a.b",
    "$a^",
    "a|b",
    "a/**x",
    "[]a]",
    "[a-]",
    "a/**/",
    ".github/**",
    "x*",
    "*x*",
    "src/*.{ts,tsx}",
    "src/**/*.test.ts",
    "docs/{en,uk}/*.md",
    "backend/app/models/**",
    "*.md",
    "**/*.{js,mjs}",
    "packages/*/src/**",
    "a/x*y*z",
    "?",
    "??",
    "a/?/b",
    "[0-9]*.txt",
    "{a,{b,c}}/x",
    "a{,.min}.js",
    "**/.*",
    "**/.github/**",
  ];
  const paths = [
    "a",
    "a/b",
    "a/b/c",
    "x",
    "a/b/x",
    "a/x/y/b",
    "axxb",
    "ax/xb",
    "a/bc/d",
    ".x",
    ".a/.b.ts",
    "a/c/d",
    "cb",
    "ab",
    "a/c",
    "bx",
    "b/x",
    "x/y",
    "a.b",
    "axb",
    "$a^",
    "a|b",
    "a/yx",
    "a/y/x",
    "]",
    "-",
    "src/x.ts",
    "src/x.tsx",
    "src/a/b.test.ts",
    "docs/en/x.md",
    "docs/de/z.md",
    "backend/app/models/user.py",
    "README.md",
    "lib/x.mjs",
    "packages/p/src/x/y.ts",
    "a/xqyqz",
    "a/xyz",
    "q",
    "qq",
    "a/q/b",
    "1abc.txt",
    "c/x",
    "a.min.js",
    "a.js",
    ".env",
    "d/.env",
    ".github/workflows/ci.yml",
    "x/.github/a",
    "ü/é.ts",
  ];

  it("agrees with picomatch (dotfiles matched) on ordinary globs and paths", () => {
    const disagreements = patterns.flatMap((pattern) =>
      paths
        .filter((path) => matches(path, pattern) !== picomatch.isMatch(path, pattern, { dot: true }))
        .map((path) => `${pattern} ~ ${path}`),
    );
    expect(disagreements).toEqual([]);
  });

  it("reads parentheses, `+`, `@` and `!` inside a path as characters of names", () => {
    expect(matches("app/(auth)/login/page.tsx", "app/(auth)/**")).toBe(true);
    expect(matches("app/auth/login/page.tsx", "app/(auth)/**")).toBe(false);
    expect(matches("c++/a@b!.txt", "c++/*@b!.txt")).toBe(true);
  });

  it("negates a set with `!` or `^`, as POSIX globs do", () => {
    expect(matches("cb", "[!a]b")).toBe(true);
    expect(matches("ab", "[!a]b")).toBe(false);
    expect(matches("ab", "[^a]b")).toBe(false);
  });

  it("matches nothing with a pattern it refuses", () => {
    expect(matches("a", "@(a|b)")).toBe(false);
    expect(matches("a".repeat(MAX_WILDCARDS), `*${"a*".repeat(MAX_WILDCARDS)}`)).toBe(false);
    expect(matches("a".repeat(MAX_WILDCARDS), `*${"a*".repeat(MAX_WILDCARDS - 1)}`)).toBe(true);
  });
});

describe("globProblem on what a stranger may write", () => {
  it.each([
    ["src/@(a|b).ts", "without extglobs"],
    ["src/!(a).ts", "without extglobs"],
    ["src/+(a).ts", "without extglobs"],
    ["src/*(a).ts", "without extglobs"],
    ["src/?(a).ts", "without extglobs"],
    ["!src/**", "without a leading `!`"],
    [
      `${"*a".repeat(MAX_WILDCARDS + 1)}b`,
      `at most ${MAX_WILDCARDS} wildcards (\`*\` or \`**\`) in one pattern, not ${MAX_WILDCARDS + 1}`,
    ],
    [`src/${"a".repeat(MAX_PATTERN_LENGTH)}`, "at most 1,024 characters, not 1,028"],
    ["src/{a}.ts", "alternatives in `{…}` separated by commas"],
    ["src/{1..9}.ts", "alternatives in `{…}` separated by commas"],
    ["{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", `at most ${MAX_ALTERNATIVES} alternatives`],
    ["src/[[:alpha:]].ts", "POSIX classes"],
    ["src/[a/b].ts", "without `/`"],
    ["src/[z-a].ts", "from low to high"],
    ["src/a}{.ts", "balanced `{` and `}`"],
  ])("refuses %j", (pattern, expected) => {
    expect(globProblem(pattern)).toContain(expected);
  });

  it("accepts as many wildcards and alternatives as the limits allow", () => {
    expect(globProblem(`${"*a".repeat(MAX_WILDCARDS)}b`)).toBeUndefined();
    expect(globProblem("{a,b}{a,b}{a,b}{a,b}{a,b}")).toBeUndefined();
    expect(globProblem("app/(auth)/page.tsx")).toBeUndefined();
  });
});
