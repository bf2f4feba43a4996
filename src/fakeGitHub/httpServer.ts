import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { API } from "./conventions.js";
import type { FakeGitHub } from "./fakeGitHub.js";

/** The fake GitHub's REST API served over HTTP. */
export interface ServedGitHub {
  /** `http://127.0.0.1:<port>`: what a process of its own takes for `GITHUB_API_URL`. */
  url: string;
  close: () => Promise<void>;
}

/**
 * The fake GitHub's REST API on a local port, for code that runs in a process
 * of its own (the built actions): each request is answered by the fake's
 * `fetch` as if it had gone to api.github.com, and the links in its answers
 * (the next page) point back here.
 */
export async function serveOverHttp(github: FakeGitHub): Promise<ServedGitHub> {
  let url = "";
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      const body = Buffer.concat(chunks);
      void github
        .fetch(`${API}${request.url ?? "/"}`, {
          method: request.method ?? "GET",
          headers,
          ...(body.length === 0 ? {} : { body: body.toString("utf8") }),
        })
        .then(async (answer) => {
          const text = await answer.text();
          const out: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (name !== "content-length" && name !== "transfer-encoding")
              out[name] = name === "link" ? value.replaceAll(API, url) : value;
          });
          response.writeHead(answer.status, out).end(text);
        })
        .catch((error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
