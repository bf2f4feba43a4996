import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("dist/, the bundle action.yml runs", () => {
  it("is what `npm run build:action` makes of the sources now (run it and commit dist/ when this fails)", async () => {
    const dir = freshBuild();
    await buildAction(dir);
    const built = readdirSync(dir).sort();
    expect(readdirSync(join(ROOT, "dist")).sort()).toEqual(built);
    for (const file of built) {
      const same = Buffer.compare(readFileSync(join(dir, file)), readFileSync(join(ROOT, "dist", file))) === 0;
      expect(same, `dist/${file} is stale: run \`npm run build:action\``).toBe(true);
    }
  });

  it("builds the same bytes every time", async () => {
    const a = freshBuild();
    const b = freshBuild();
    await buildAction(a);
    await buildAction(b);
    expect(Buffer.compare(readFileSync(join(a, "index.js")), readFileSync(join(b, "index.js")))).toBe(0);
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
