/**
 * The layer rule of eslint.config.js (eslint-plugin-boundaries), tried on
 * imports written for the purpose: a file of src/ imports its own layer and
 * those below it, never one above, never test/, and every file is in a layer.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer rules' messages on `text` as the file `path` of the repository. */
async function layerProblems(path: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: `${root}${path}` });
  return result!.messages
    .filter((message) => message.ruleId?.startsWith("boundaries/"))
    .map((message) => message.message);
}

describe("the layer rule", () => {
  it("fails an import against the direction, naming both layers", async () => {
    expect(
      await layerProblems(
        "src/plan/wrongWay.ts",
        'import { decide } from "../state/machine.js";\nexport const x = decide;\n',
      ),
    ).toEqual(['There is no policy allowing dependencies from elements of type "plan" to elements of type "state"']);
    expect(
      await layerProblems(
        "src/state/wrongWay.ts",
        'import type { Message } from "../state/messages.js";\nimport { renderMessage } from "../render/renderMessage.js";\nexport const x = (m: Message) => renderMessage(m);\n',
      ),
    ).toEqual(['There is no policy allowing dependencies from elements of type "state" to elements of type "render"']);
    expect(await layerProblems("src/base/wrongWay.ts", 'export { createApp } from "../probotApp.js";\n')).toEqual([
      'There is no policy allowing dependencies from elements of type "base" to file of category "app"',
    ]);
  });

  it("fails an import between siblings and a dynamic one upwards", async () => {
    expect(
      await layerProblems(
        "src/report/sibling.ts",
        'import type { Command } from "../commands/parse.js";\nexport type X = Command;\n',
      ),
    ).toHaveLength(1);
    expect(
      await layerProblems("src/sim/upwards.ts", 'export const load = () => import("../cli/commandLine.js");\n'),
    ).toHaveLength(1);
  });

  it("keeps the fake GitHub apart: it imports nothing of the app, and only the simulator and the CLI import it", async () => {
    expect(
      await layerProblems(
        "src/fakeGitHub/leaning.ts",
        'import { decide } from "../state/machine.js";\nexport const x = decide;\n',
      ),
    ).toEqual([
      'There is no policy allowing dependencies from elements of type "fakeGitHub" to elements of type "state"',
    ]);
    expect(
      await layerProblems(
        "src/github/calls/faked.ts",
        'import { FakeGitHub } from "../../fakeGitHub/fakeGitHub.js";\nexport const x = FakeGitHub;\n',
      ),
    ).toEqual([
      'There is no policy allowing dependencies from elements of type "github" to elements of type "fakeGitHub"',
    ]);
    expect(
      await layerProblems(
        "src/sim/driving.ts",
        'import { FakeGitHub } from "../fakeGitHub/fakeGitHub.js";\nexport const x = FakeGitHub;\n',
      ),
    ).toEqual([]);
  });

  it("fails any import of test/ from src/, and of a file in no layer", async () => {
    expect(
      await layerProblems(
        "src/state/fromTests.ts",
        'import { play } from "../../test/state/support.js";\nexport const x = play;\n',
      ),
    ).toEqual(['There is no policy allowing dependencies from elements of type "state" to elements of type "test"']);
    expect(
      await layerProblems(
        "src/state/fromScripts.ts",
        'import { readRecipes } from "../../scripts/recipes.js";\nexport const x = readRecipes;\n',
      ),
    ).toEqual(["Dependencies to unknown elements and files are not allowed"]);
    expect(await layerProblems("src/nowhere.ts", "export const x = 1;\n")).toEqual([
      "File does not match any file pattern and does not belong to any known element",
    ]);
  });

  it("passes imports down the layers, within a layer, and of dependencies and Node's modules", async () => {
    const text = [
      'import { readFileSync } from "node:fs";',
      'import { z } from "zod";',
      'import type { Plan } from "../plan/planModel.js";',
      'import { truncate } from "../base/markdownText.js";',
      'import { decide } from "../state/machine.js";',
      'import { renderMessage } from "./renderMessage.js";',
      "export const x = [readFileSync, z, decide, renderMessage, truncate] as const;",
      "export type P = Plan;",
      "",
    ].join("\n");
    expect(await layerProblems("src/render/rightWay.ts", text)).toEqual([]);
  });
});
