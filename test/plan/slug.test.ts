import { describe, expect, it } from "vitest";
import { slug } from "../../src/plan/slug.js";

describe("slug", () => {
  it("makes branch-safe names", () => {
    expect(slug("API Documentation")).toBe("api-documentation");
    expect(slug("fastapi-backend-expert")).toBe("fastapi-backend-expert");
    expect(slug("  Back end / API  ")).toBe("back-end-api");
    expect(slug("Фронтенд")).toBe("frontend");
    expect(slug("Бекенд і тести")).toBe("bekend-i-testy");
    expect(slug("Café")).toBe("cafe");
  });

  it("keeps at most 40 characters and never ends in a dash", () => {
    const long = slug("a very long domain name that goes on and on and on forever");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z0-9-]+$/);
    expect(long.endsWith("-")).toBe(false);
  });

  it("never returns an empty name", () => {
    expect(slug("!!!")).toBe("general");
    expect(slug("")).toBe("general");
  });
});
