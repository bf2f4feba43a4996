import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

/**
 * Webhook deliveries posted to the server's root. Probot's setup page registers
 * the app with the server's root as its webhook URL (`https://host/`), while
 * its server takes deliveries only at the webhook path (`/api/github/webhooks`):
 * without this, an app registered through the setup page would never hear an
 * event. Only POST is taken; GET `/` stays Probot's redirect to its page.
 */
export async function rootDeliveries(probot: Probot): Promise<Handler> {
  const middleware = await probot.getNodeMiddleware({ path: "/" });
  return (request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "POST" || path !== "/" || probot.webhookPath === "/") return false;
    return middleware(request, response);
  };
}
