// Validates Kubernetes manifests offline against the API schemas, as an API server's schema check would, without one:
//   node validate-manifests.mjs TOOLS_DIR MANIFEST.yaml...
// TOOLS_DIR is where install-tools.sh put the npm packages. Built-in kinds are checked against the OpenAPI schemas of
// the Kubernetes release that kubernetes-models was generated from; ServiceMonitor and PrometheusRule against the
// Prometheus Operator's CRD schemas; HTTPRoute against the Gateway API's. Each schema is an Ajv validator compiled by
// those packages. The schemas, like the API's OpenAPI, allow fields they do not know, which an API server rejects
// (kubectl's and Helm's strict field validation): so every resource is also type-checked by TypeScript against the
// same packages' type declarations, where a field the type lacks is an error. A kind without a schema is an error.
// Prints one line per resource; exits 1 if any is invalid.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [toolsDir, ...manifests] = process.argv.slice(2);
const modules = join(toolsDir, "node_modules");
const packages = ["kubernetes-models", "@kubernetes-models/prometheus-operator", "@kubernetes-models/gateway-api"];
const { parseAllDocuments } = await import(pathToFileURL(join(modules, "yaml", "dist", "index.js")).href);

async function modelClass(apiVersion, kind) {
    for (const pkg of packages) {
        const file = join(modules, pkg, ...apiVersion.split("/"), `${kind}.js`);
        if (existsSync(file)) {
            const version = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
            return {
                model: (await import(pathToFileURL(file).href))[kind],
                schema: `${pkg}@${version}`,
                type: { module: `${pkg}/${apiVersion}/${kind}`, name: `I${kind}` },
            };
        }
    }
    return null;
}

let invalid = 0;
const typed = [];
for (const manifest of manifests) {
    for (const document of parseAllDocuments(readFileSync(manifest, "utf8"))) {
        const resource = document.toJS();
        if (resource === null) {
            continue;
        }
        const name = `${resource.apiVersion} ${resource.kind} ${resource.metadata?.name}`;
        const found = await modelClass(String(resource.apiVersion), String(resource.kind));
        if (found === null) {
            console.log(`invalid ${name}: no schema for this apiVersion and kind`);
            invalid++;
            continue;
        }
        try {
            new found.model(resource).validate();
            console.log(`valid ${name} (${found.schema})`);
        } catch (error) {
            console.log(`invalid ${name} (${found.schema}): ${error.message}`);
            invalid++;
        }
        typed.push({ name, resource, type: found.type });
    }
}
invalid += typeCheck(typed);
process.exit(invalid === 0 ? 0 : 1);

/** One typed constant per line, so that a compiler error's line names the resource. */
function typeCheck(resources) {
    if (resources.length === 0) {
        return 0;
    }
    const lines = [];
    resources.forEach(({ type }, i) => lines.push(`import type { ${type.name} as T${i} } from "${type.module}";`));
    const first = lines.length + 1;
    resources.forEach(({ resource }, i) => lines.push(`export const r${i}: T${i} = ${JSON.stringify(resource)};`));
    // Inside TOOLS_DIR, so that the imports resolve to its node_modules.
    const dir = mkdtempSync(join(toolsDir, "check-"));
    try {
        writeFileSync(join(dir, "manifests.ts"), lines.join("\n") + "\n");
        execFileSync(process.execPath, [join(modules, "typescript", "bin", "tsc"), "--noEmit", "--strict",
            "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "manifests.ts"],
            { cwd: dir, encoding: "utf8" });
        console.log(`typed ${resources.length} resources: no unknown field, no wrong type`);
        return 0;
    } catch (error) {
        const output = `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error);
        const failed = new Set();
        for (const line of output.split("\n").filter(Boolean)) {
            const at = /^manifests\.ts\((\d+),\d+\): (.*)$/.exec(line);
            const resource = at ? resources[Number(at[1]) - first] : undefined;
            console.log(resource ? `invalid ${resource.name} (types): ${at[2]}` : `invalid (types): ${line}`);
            failed.add(resource?.name ?? line);
        }
        return Math.max(failed.size, 1);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
