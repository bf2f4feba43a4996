import type { ApplicationFunction } from "probot";
import pkg from "../../package.json" with { type: "json" };
import { rootDeliveries } from "./rootDeliveries.js";

/**
 * The app as `npm start` serves it: deliveries taken at the server's root too
 * (see rootDeliveries.ts), and a page at the root that says the app runs and
 * where GitHub's deliveries go, for the person who opens it after setup.
 */
export function serverApp(app: ApplicationFunction): ApplicationFunction {
  return async (probot, options) => {
    const running = `${pkg.name} ${pkg.version} is running. GitHub delivers webhooks to this address (POST /) or to ${probot.webhookPath}.\n`;
    options.addHandler?.(await rootDeliveries(probot));
    options.addHandler?.((request, response) => {
      if (request.method !== "GET" || (request.url ?? "").split("?")[0] !== "/") return false;
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(running);
      return true;
    });
    probot.log.info(running.trimEnd());
    await app(probot, options);
  };
}
