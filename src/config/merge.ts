/**
 * @module config/merge — mergeDirConfig(parent, child): the per-directory merge, applied in
 * Apache's order (server → Directory → .htaccess → Files → Location). One explicit function:
 * each field's rule is written next to it. The result is frozen.
 */
import type { DirConfig } from './types.js';
import { freezeDir } from './freeze.js';
import { type AccessFields, accessFields, accessInputs } from './access.js';

type Rec<V> = Readonly<Record<string, V>>;

function overlay<V>(parent: Rec<V> | undefined, child: Rec<V> | undefined): Rec<V> | undefined {
  if (!child) return parent;
  if (!parent) return child;
  return { ...parent, ...child };
}

/** `first`'s entries, then `second`'s (either alone as it is). */
function append<T>(first: readonly T[] | undefined, second: readonly T[] | undefined): readonly T[] | undefined {
  return first && second ? [...first, ...second] : pick(first, second);
}

/** Overlay after dropping the parent's keys the child removed (RemoveHandler/RemoveType). */
function overlayWithout(parent: Rec<string> | undefined, removed: readonly string[] | undefined, child: Rec<string> | undefined): Rec<string> | undefined {
  if (!removed?.length || !parent) return overlay(parent, child);
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (!removed.includes(k)) kept[k] = v;
  return { ...kept, ...child };
}

/** Overlay; `ErrorDocument N default` removes the inherited document for N. */
function errorDocuments(parent: DirConfig['errorDocuments'], child: DirConfig['errorDocuments']): DirConfig['errorDocuments'] {
  const merged = overlay(parent, child);
  if (!merged || !child) return merged;
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(merged)) if (v.toLowerCase() !== 'default') out[Number(k)] = v;
  return out;
}

/** Require lines replace per section (AuthMerging Off, httpd's default); Order/Allow/Deny and
 *  Satisfy inherit separately; config/access derives `require` from the three. */
function access(parent: Readonly<DirConfig>, child: Readonly<DirConfig>): AccessFields {
  const p = accessInputs(parent);
  const c = accessInputs(child);
  return accessFields({ lines: pick(p.lines, c.lines), compat: pick(p.compat, c.compat), satisfyAny: pick(p.satisfyAny, c.satisfyAny) });
}

function pick<T>(parent: T | undefined, child: T | undefined): T | undefined {
  return child === undefined ? parent : child;
}

export function mergeDirConfig(parent: Readonly<DirConfig>, child: Readonly<DirConfig>): Readonly<DirConfig> {
  const m: DirConfig = {
    // Options: +/- forms only set the options they name, so a field overlay is Apache's rule.
    options: parent.options && child.options ? { ...parent.options, ...child.options } : pick(parent.options, child.options),
    allowOverride: pick(parent.allowOverride, child.allowOverride),
    // AllowOverride replaces the Options= list along with the classes.
    allowOverrideOptions: child.allowOverride !== undefined ? child.allowOverrideOptions : parent.allowOverrideOptions,
    setHandler: pick(parent.setHandler, child.setHandler),
    addHandlers: overlayWithout(parent.addHandlers, child.removeHandlers, child.addHandlers),
    removeHandlers: child.removeHandlers,
    addTypes: overlayWithout(parent.addTypes, child.removeTypes, child.addTypes),
    removeTypes: child.removeTypes,
    forceType: pick(parent.forceType, child.forceType),
    defaultType: pick(parent.defaultType, child.defaultType),
    setOutputFilters: pick(parent.setOutputFilters, child.setOutputFilters),
    setInputFilters: pick(parent.setInputFilters, child.setInputFilters),
    addOutputFilters: overlay(parent.addOutputFilters, child.addOutputFilters),
    addInputFilters: overlay(parent.addInputFilters, child.addInputFilters),
    directoryIndex: pick(parent.directoryIndex, child.directoryIndex),
    errorDocuments: errorDocuments(parent.errorDocuments, child.errorDocuments),
    // mod_headers: the parent's operations run first, then the child's.
    headers: append(parent.headers, child.headers),
    requestHeaders: append(parent.requestHeaders, child.requestHeaders),
    // mod_setenvif: the enclosing scope's rules run first, then the section's.
    setEnvIf: append(parent.setEnvIf, child.setEnvIf),
    serverSignature: pick(parent.serverSignature, child.serverSignature),
    limitRequestBody: pick(parent.limitRequestBody, child.limitRequestBody),
    acceptPathInfo: pick(parent.acceptPathInfo, child.acceptPathInfo),
    // mod_alias: a section's own redirects are tried before the enclosing ones.
    redirects: append(child.redirects, parent.redirects),
    authType: pick(parent.authType, child.authType),
    authName: pick(parent.authName, child.authName),
    authUserFile: pick(parent.authUserFile, child.authUserFile),
    authGroupFile: pick(parent.authGroupFile, child.authGroupFile),
    // Access: require, requireLines, accessCompat, satisfyAny (see access()).
    ...access(parent, child),
    // mod_python: handler lists replace per phase key; scalars and options overlay.
    pythonHandlers: overlay(parent.pythonHandlers, child.pythonHandlers),
    pythonDirectives: overlay(parent.pythonDirectives, child.pythonDirectives),
    pythonOptions: overlay(parent.pythonOptions, child.pythonOptions),
    pythonInputFilters: overlay(parent.pythonInputFilters, child.pythonInputFilters),
    pythonOutputFilters: overlay(parent.pythonOutputFilters, child.pythonOutputFilters),
    // config_dir and the Location flag come from the most specific section that has a directory.
    configDirectory: child.configDirectory !== undefined ? child.configDirectory : parent.configDirectory,
    fromLocation: child.configDirectory !== undefined ? child.fromLocation : parent.fromLocation,
    modpy: overlay(parent.modpy, child.modpy),
    env: overlay(parent.env, child.env),
    addDefaultCharset: pick(parent.addDefaultCharset, child.addDefaultCharset),
    logLevel: pick(parent.logLevel, child.logLevel),
  };
  for (const k of Object.keys(m) as (keyof DirConfig)[]) if (m[k] === undefined) delete m[k];
  return freezeDir(m);
}
