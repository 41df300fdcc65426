/**
 * The user's CMSIS-NN tree: where it is and which supported version it is.
 * tinyc never ships CMSIS-NN; the user points at a checkout (`--cmsis-nn DIR`
 * or CMSIS_NN_ROOT), told apart by `$Revision` in Include/arm_nnfunctions.h.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fail } from "../../diagnostics.js";

export type CmsisNnVersion = "v7.0.0" | "4ab83cc3";
export const CMSIS_NN_VERSIONS: readonly CmsisNnVersion[] = ["v7.0.0", "4ab83cc3"];

export interface CmsisNnInfo {
  /** The user's CMSIS-NN tree; absent when only emitting sources for a named version. */
  readonly root?: string;
  readonly version: CmsisNnVersion;
  /** `$Revision` of Include/arm_nnfunctions.h. */
  readonly revision: string;
}

/** arm_nnfunctions.h $Revision of each supported CMSIS-NN version. */
const REVISIONS: Readonly<Record<string, CmsisNnVersion>> = {
  "18.0.0": "v7.0.0",
  "19.1.0": "4ab83cc3",
};

/**
 * Finds and identifies the user's CMSIS-NN tree (`dir`, else CMSIS_NN_ROOT). With
 * no tree but a named `version`, sources can still be emitted (not built).
 */
export function resolveCmsisNn(dir: string | undefined, version?: string): CmsisNnInfo {
  const root = dir ?? process.env.CMSIS_NN_ROOT;
  if (!root) {
    if (version) {
      const v = CMSIS_NN_VERSIONS.find((x) => x === version);
      if (!v) fail("TC151", "version", { version, supported: CMSIS_NN_VERSIONS.join(", ") });
      return { version: v, revision: Object.keys(REVISIONS).find((r) => REVISIONS[r] === v)! };
    }
    fail("TC150", "noTree", {});
  }
  const header = join(root, "Include", "arm_nnfunctions.h");
  if (!existsSync(header)) fail("TC150", "notTree", { header, root }, { file: root });
  const m = /\$Revision:\s*V\.?([0-9.]+)/.exec(readFileSync(header, "utf8"));
  const revision = m?.[1] ?? "unknown";
  const found = REVISIONS[revision];
  if (!found) {
    fail("TC151", "revision", { root, revision, supported: Object.entries(REVISIONS).map(([r, v]) => `${v} (V.${r})`).join(", ") }, { file: header });
  }
  if (version && version !== found) fail("TC151", "notRequested", { root, found, version }, { file: header });
  return { root, version: found, revision };
}

/** The tree itself, for building; emitting sources for a named version needs none. */
export function cmsisRoot(info: CmsisNnInfo): string {
  if (!info.root) fail("TC150", "buildNeedsTree", { version: info.version });
  return info.root;
}
