import type { TestProject } from "vitest/node";
import { freePort } from "../../../src/mocks/prism/free-port.ts";
import { startPrism } from "../../../src/mocks/prism/prism-launch.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock server the prism tests share, such as `http://127.0.0.1:38211`. */
    prismUrl: string;
    /** The 127.0.0.1 port Prism sends its commsNotifications callbacks to (path `/api/calls`). */
    prismCallbackPort: number;
  }
}

/**
 * Vitest global setup of the `prism` project: starts the real Prism once on a free 127.0.0.1 port,
 * with callbacks to another free 127.0.0.1 port, waits until it listens, provides both to the
 * tests, and stops Prism's whole process group afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prismCallbackPort = await freePort("127.0.0.1");
  const prism = await startPrism({
    host: "127.0.0.1",
    port: 0,
    callbackUrl: `http://127.0.0.1:${prismCallbackPort}/api/calls`,
  });
  project.provide("prismUrl", prism.url);
  project.provide("prismCallbackPort", prismCallbackPort);
  return () => prism.stop();
}
