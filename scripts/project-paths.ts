/** Where the scripts find the project, its spec and the Redocly CLI. */
import { join, resolve } from "node:path";

export const projectRoot = resolve(import.meta.dirname, "..");
export const specPath = join(projectRoot, "spec/openapi.yaml");
export const redocly = join(projectRoot, "node_modules/.bin/redocly");
