import type { ApplicationFunction } from "probot";
import { rootDeliveries } from "./rootDeliveries.js";

/** The app as `npm start` serves it: deliveries taken at the server's root too (see rootDeliveries.ts). */
export function serverApp(app: ApplicationFunction): ApplicationFunction {
  return async (probot, options) => {
    options.addHandler?.(await rootDeliveries(probot));
    await app(probot, options);
  };
}
