import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAction, ROOT } from "../../scripts/build-action.js";

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

function freshBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), "pc-dist-"));
  temp.push(dir);
  return dir;
}

/** A folder's files, by their paths in it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The bundles of both actions: action.yml's and coordinator/action.yml's. */
const BUNDLES = ["dist", "coordinator/dist"];

describe("dist/ and coordinator/dist/, the bundles action.yml and coordinator/action.yml run", () => {
  it("are what `npm run build:action` makes of the sources now (run it and commit both when this fails)", async () => {
    const dir = freshBuild();
    await buildAction(dir);
    for (const bundle of BUNDLES) {
      const built = files(join(dir, bundle));
      expect(files(join(ROOT, bundle))).toEqual(built);
      for (const file of built) {
        const same =
          Buffer.compare(readFileSync(join(dir, bundle, file)), readFileSync(join(ROOT, bundle, file))) === 0;
        expect(same, `${bundle}/${file} is stale: run \`npm run build:action\``).toBe(true);
      }
    }
  });

  it("build the same bytes every time", async () => {
    const a = freshBuild();
    const b = freshBuild();
    await buildAction(a);
    await buildAction(b);
    for (const bundle of BUNDLES)
      for (const file of files(join(a, bundle)))
        expect(
          Buffer.compare(readFileSync(join(a, bundle, file)), readFileSync(join(b, bundle, file))),
          `${bundle}/${file}`,
        ).toBe(0);
  });

  it("runs on its own and fails at once, naming the missing inputs, when it has none", () => {
    const dir = freshBuild();
    execFileSync("cp", ["-r", join(ROOT, "dist"), join(dir, "dist")]);
    const result = spawnSync(process.execPath, [join(dir, "dist", "index.js")], {
      env: { PATH: process.env.PATH },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error title=parallel-coordinator::Missing inputs `mode`, `issue`/m);
  });
});
