/**
 * A vitest reporter that names every test that did not run (skipped or todo),
 * with its note (`ctx.skip(note)`) when it has one, so that no suite skips
 * without saying so. Registered in vitest.config.ts.
 */
import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 20;

/** One line per test that did not run, at most `SHOWN` of them and then how many more. */
export function skippedLines(modules: ReadonlyArray<TestModule>): string[] {
  const lines = modules.flatMap((module) =>
    [...module.children.allTests("skipped")].map((test) => {
      const result = test.result();
      const note = result.state === "skipped" && result.note ? ` (${result.note})` : "";
      return `  ${test.options.mode === "todo" ? "todo" : "skipped"}: ${module.relativeModuleId} > ${test.fullName}${note}`;
    }),
  );
  if (lines.length === 0) return [];
  const more = lines.length - SHOWN;
  return [
    `${lines.length} ${lines.length === 1 ? "test" : "tests"} did not run:`,
    ...lines.slice(0, SHOWN),
    ...(more > 0 ? [`  … and ${more} more`] : []),
  ];
}

export default class SkippedTests implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines = skippedLines(modules);
    if (lines.length > 0) console.log(lines.join("\n"));
  }
}
