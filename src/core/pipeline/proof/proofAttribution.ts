/**
 * Which layer a failing proof test blames: the files of the workspace its output names (a stack
 * frame's path, a module it could not load, a Python traceback's file, a module path), the proof
 * tests themselves and installed packages aside, and the layers owning them. Nothing named: no
 * one is blamed, and the caller falls back on the layers whose tasks cite the criterion.
 */
import { dirname, isAbsolute, posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { layerOwning, type OrchestratorConfig } from '../../project/config';

const ABSOLUTE = /(?:file:\/\/)?(\/[^\s:'"()<>,]+\.[A-Za-z0-9]+)(?=[:'")\s,]|$)/g;
const RELATIVE_MODULE =
  /(?:Cannot find module|Failed to resolve import|Cannot find package|ERR_MODULE_NOT_FOUND[^'"]*)\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const PYTHON_MODULE = /No module named ['"]([\w.]+)['"]/g;

/** Workspace-relative files the output names, in order of first mention. */
export function namedWorkspaceFiles(output: string, workspace: string, testFile: string): string[] {
  const files: string[] = [];
  const add = (rel: string) => {
    if (rel && !rel.startsWith('..') && !isAbsolute(rel) && !files.includes(rel)) files.push(rel);
  };
  for (const m of output.matchAll(ABSOLUTE)) add(relative(workspace, m[1]!).split(sep).join('/'));
  for (const m of output.matchAll(RELATIVE_MODULE)) add(posix.normalize(posix.join(dirname(testFile), m[1]!)));
  for (const m of output.matchAll(PYTHON_MODULE)) add(`${m[1]!.replace(/\./g, '/')}.py`);
  return files;
}

/** The layers owning the code a failing proof test's output names. */
export function blamedLayers(
  config: OrchestratorConfig,
  output: string,
  workspace: string,
  testFile: string,
): string[] {
  const isProof = picomatch(config.proof.tests, { dot: true });
  const layers: string[] = [];
  for (const file of namedWorkspaceFiles(output, workspace, testFile)) {
    if (isProof(file) || file.split('/').includes('node_modules')) continue;
    // A module path that is not a file as written (a Python package): its folder decides.
    const layer = layerOwning(config, file) ?? layerOwning(config, file.replace(/\.py$/, '/__init__.py'));
    if (layer && !layers.includes(layer)) layers.push(layer);
  }
  return layers;
}
