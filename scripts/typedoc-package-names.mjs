/**
 * TypeDoc plugin: names each module of the API reference by the specifier a user imports it with
 * (`graph-comms-kit/notifications`), read from package.json `exports`, instead of its folder under
 * `src/` (`notifications`). A module no export points at fails the build, so a new entry cannot be
 * documented under a name nobody can import.
 */
import { readFileSync } from "node:fs";
import { Converter, ReflectionKind } from "typedoc";

/** TypeDoc's name for an entry (`src/mocks/prism/index.ts` → `mocks/prism`) → the import specifier. */
function specifiersByModuleName() {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const names = new Map();
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const file = typeof target === "string" ? target : (target.types ?? target.default ?? "");
    const folder = /^\.\/dist\/src\/(.+)\/index\.(?:d\.ts|js)$/.exec(file)?.[1];
    if (folder) names.set(folder, subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`);
  }
  return names;
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  const specifiers = specifiersByModuleName();
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const specifier = specifiers.get(module.name);
      if (specifier === undefined) {
        app.logger.error(
          `typedoc-package-names: no package.json export points at src/${module.name}/index.ts`,
        );
        continue;
      }
      module.name = specifier;
    }
  });
}
