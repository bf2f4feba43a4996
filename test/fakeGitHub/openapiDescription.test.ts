/**
 * Guards for the checker against the whole description (slower than
 * openapiCheck.test.ts, ~2 s): every JSON request-body schema compiles, and GitHub's
 * own request examples pass — so the checker is not stricter than GitHub's
 * documentation. Re-run after upgrading @octokit/openapi.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { checkGitHubRequest, gitHubOpenApiStats } from "../../src/fakeGitHub/openapiCheck.js";

/**
 * Request examples in @octokit/openapi 23.0.2 that contradict their own schema
 * (the checker follows the schema). `route example-name` → what is wrong.
 */
const INCONSISTENT_EXAMPLES: Record<string, string> = {
  "PATCH /gists/{gist_id} deleteFile": "files.<name>: null deletes a file, but the schema is not nullable",
  "POST /orgs/{org}/attestations/bulk-list withPredicateType": "predicateType is not in the schema",
  "POST /users/{username}/attestations/bulk-list withPredicateType": "predicateType is not in the schema",
  "PUT /orgs/{org}/copilot-spaces/{space_number} default": "resources_attributes[].id/_destroy are not in the schema",
  "PUT /users/{username}/copilot-spaces/{space_number} default":
    "resources_attributes[].id/_destroy are not in the schema",
  "POST /orgs/{org}/issue-fields default": "options[] lack the required priority",
  "POST /orgs/{org}/projectsV2/{project_number}/fields single_select_field": "option name/description are objects",
  "POST /users/{username}/projectsV2/{project_number}/fields single_select_field":
    "option name/description are objects",
  "PATCH /repos/{owner}/{repo}/import example-2": "human_name is not in the schema",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/codespaces default": "repository_id/ref are not in the schema",
  "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id} update_vvrs": "value is not an object",
  "PUT /user/codespaces/secrets/{secret_name}/repositories default": "ids are strings, schema says integer",
  "POST /user/codespaces/{codespace_name}/publish default": "repository is not in the schema",
  "POST /user/keys default": "key does not match the schema's pattern",
  "POST /user/ssh_signing_keys default": "key does not match the schema's pattern",
};

type Json = { [key: string]: unknown };
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function loadSpec(): Json {
  const file = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
  const spec: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isJson(spec)) throw new Error("bad description");
  return spec;
}

function at(spec: Json, value: unknown): unknown {
  if (!isJson(value) || typeof value.$ref !== "string") return value;
  return value.$ref
    .slice(2)
    .split("/")
    .reduce<unknown>(
      (node, key) => (isJson(node) ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined),
      spec,
    );
}

interface Example {
  label: string;
  method: string;
  path: string;
  body: unknown;
}

function requestExamples(spec: Json): { operationsWithJsonBody: number; examples: Example[] } {
  const examples: Example[] = [];
  let operationsWithJsonBody = 0;
  for (const [template, item] of Object.entries(isJson(spec.paths) ? spec.paths : {})) {
    if (!isJson(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isJson(op)) continue;
      const requestBody = at(spec, op.requestBody);
      const content =
        isJson(requestBody) && isJson(requestBody.content) ? requestBody.content["application/json"] : undefined;
      if (!isJson(content)) continue;
      operationsWithJsonBody++;
      const params = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => at(spec, p)).filter(isJson);
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const schema = at(spec, params.find((p) => p.name === name && p.in === "path")?.schema);
        if (isJson(schema) && Array.isArray(schema.enum)) return String(schema.enum[0]);
        return isJson(schema) && (schema.type === "integer" || Array.isArray(schema.oneOf)) ? "1" : "x";
      });
      const route = `${method.toUpperCase()} ${template}`;
      examples.push({ label: `${route} (no example)`, method, path, body: undefined });
      for (const [name, example] of Object.entries(isJson(content.examples) ? content.examples : {})) {
        const resolved = at(spec, example);
        examples.push({ label: `${route} ${name}`, method, path, body: isJson(resolved) ? resolved.value : undefined });
      }
    }
  }
  return { operationsWithJsonBody, examples };
}

describe("checkGitHubRequest against the whole description", () => {
  it("compiles every JSON request body and accepts GitHub's own request examples", () => {
    const { operationsWithJsonBody, examples } = requestExamples(loadSpec());
    const rejected: string[] = [];
    let checked = 0;
    for (const { label, method, path, body } of examples) {
      if (body === undefined) {
        // compile only: throws if the converted schema does not compile
        checkGitHubRequest({ method, path, body: {} });
        continue;
      }
      checked++;
      const problems = checkGitHubRequest({ method, path, body });
      if (problems.length > 0 && !(label in INCONSISTENT_EXAMPLES)) rejected.push(`${label}: ${problems.join("; ")}`);
    }
    expect(rejected).toEqual([]);
    expect(operationsWithJsonBody).toBeGreaterThan(300);
    expect(checked).toBeGreaterThan(400);
    expect(gitHubOpenApiStats().compiledValidators).toBe(operationsWithJsonBody);
  });
});
