// Checks that the public API is documented, as STYLE.md asks ("TSDoc on
// every export", "`@default` on every field"). The public API is what each
// published package's `exports` map reaches: `./dist/X.js` is read from
// `src/X.ts`, so any number of subpaths is covered without listing them here.
//
// For every symbol an entry point exports (re-exports resolved to their
// declarations) it requires:
//   - a doc comment on the declaration;
//   - for an interface or type alias named `*Options`, and for the type of an
//     `options` parameter of an exported function or constructor: a doc
//     comment on every property, and an `@default` tag on every optional one;
//   - for an exported class: a doc comment on every public method and accessor
//     (one inherited from a base class or implemented interface counts, as an
//     editor shows it).
//
// Usage: node scripts/check-docs.mjs [--report] [--allow-missing-in=GLOB,GLOB]
//   --report                 list every miss (allowed ones too) and count, but
//                            exit 0 whatever is missing
//   --allow-missing-in=...   misses in files matching these globs (relative to
//                            the repository root; `*` within a path segment,
//                            `**` across segments) are listed apart and do
//                            not fail the check
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each published package's entry points: `{ specifier, file }`, the file under src/. */
function entryPoints() {
  const entries = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private === true) continue;
    for (const [key, target] of Object.entries(manifest.exports ?? { '.': manifest.main })) {
      const path = typeof target === 'string' ? target : (target.import ?? target.default ?? target.types);
      const match = /^\.\/dist\/(.+?)(\.d)?\.js$|^\.\/dist\/(.+?)\.d\.ts$/.exec(path ?? '');
      if (match === null) continue; // ./package.json and other non-code exports
      const file = join(root, 'packages', dir, 'src', `${match[1] ?? match[3]}.ts`);
      if (!existsSync(file)) throw new Error(`${manifestPath}: export ${key} maps to ${relative(root, file)}, which does not exist`);
      entries.push({ specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`, file });
    }
  }
  return entries;
}

/** One program over all entry files; package names resolve to src/ so no build is needed. */
function createProgram(entries) {
  const base = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.base.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const paths = Object.fromEntries(entries.map((entry) => [entry.specifier, [entry.file]]));
  const options = { ...base.options, baseUrl: root, paths, noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false, types: ['node'] };
  return ts.createProgram({ rootNames: entries.map((entry) => entry.file), options });
}

/** Whether a declaration is part of this repository's sources (not a dependency's). */
function isOwn(declaration) {
  const file = declaration.getSourceFile().fileName;
  return file.startsWith(join(root, 'packages')) && file.includes('/src/') && !file.includes('/node_modules/');
}

function location(declaration) {
  const source = declaration.getSourceFile();
  const { line } = source.getLineAndCharacterOfPosition(declaration.getStart(source));
  return `${relative(root, source.fileName)}:${line + 1}`;
}

function hasDoc(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '';
}

function hasDefaultTag(declaration) {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'default' || tag.tagName.text === 'defaultValue');
}

function isOptional(property) {
  return (property.flags & ts.SymbolFlags.Optional) !== 0;
}

/** The checker's state: findings, counts, and what has been visited. */
function createState(checker) {
  return {
    checker,
    misses: [],
    counts: { exports: 0, exportsDocumented: 0, members: 0, membersDocumented: 0, optional: 0, optionalWithDefault: 0 },
    seen: new Set(),
    miss(declaration, name, what) {
      this.misses.push({ where: location(declaration), file: relative(root, declaration.getSourceFile().fileName), name, what });
    },
  };
}

/** The name of the interface, type alias or class a member is declared in. */
function ownerOf(declaration, fallback) {
  let parent = declaration.parent;
  while (parent !== undefined && (ts.isTypeLiteralNode(parent) || ts.isIntersectionTypeNode(parent) || ts.isUnionTypeNode(parent) || ts.isParenthesizedTypeNode(parent))) {
    if (ts.isTypeAliasDeclaration(parent.parent)) return parent.parent.name.text;
    parent = parent.parent;
  }
  return parent !== undefined && (ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name !== undefined ? parent.name.text : fallback;
}

/** Every property of an options type: documented, and `@default` on the optional ones. */
function checkOptionProperties(state, type, ownerName) {
  for (const property of state.checker.getPropertiesOfType(type)) {
    const declaration = property.declarations?.find(isOwn);
    if (declaration === undefined || state.seen.has(declaration)) continue;
    state.seen.add(declaration);
    state.counts.members += 1;
    const name = `${ownerOf(declaration, ownerName)}.${property.name}`;
    if (hasDoc(property, state.checker)) state.counts.membersDocumented += 1;
    else state.miss(declaration, name, 'missing doc');
    if (!isOptional(property)) continue;
    state.counts.optional += 1;
    if (hasDefaultTag(declaration)) state.counts.optionalWithDefault += 1;
    else state.miss(declaration, name, 'missing @default');
  }
}

/** Public methods and accessors of a class, static ones included. */
function checkClassMembers(state, declaration, className) {
  for (const member of declaration.members) {
    const isMethod = ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member);
    if (!isMethod || member.name === undefined || ts.isPrivateIdentifier(member.name)) continue;
    const modifiers = ts.getCombinedModifierFlags(member);
    if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    const symbol = state.checker.getSymbolAtLocation(member.name);
    if (symbol === undefined || state.seen.has(symbol)) continue;
    state.seen.add(symbol); // a getter/setter pair or overloads count once
    state.counts.members += 1;
    if (hasDoc(symbol, state.checker)) state.counts.membersDocumented += 1;
    else state.miss(member, `${className}.${symbol.name}`, 'missing doc');
  }
}

/** The options-parameter types of a function or constructor signature. */
function optionsParameterTypes(state, declaration) {
  const types = [];
  for (const parameter of declaration.parameters ?? []) {
    if (!ts.isIdentifier(parameter.name) || !/^(options|opts)$/.test(parameter.name.text)) continue;
    const type = state.checker.getNonNullableType(state.checker.getTypeAtLocation(parameter));
    const named = type.aliasSymbol ?? type.getSymbol();
    const owner = ts.isConstructorDeclaration(declaration) ? `new ${declaration.parent.name?.text}` : declaration.name?.getText();
    types.push({ type, name: named !== undefined && named.name !== '__type' ? named.name : `${owner}(${parameter.name.text})` });
  }
  return types;
}

function checkDeclarationDetails(state, symbol, declaration) {
  const name = symbol.name;
  const isOptionsType = (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)) && name.endsWith('Options');
  if (isOptionsType) checkOptionProperties(state, state.checker.getDeclaredTypeOfSymbol(symbol), name);
  const signatures = [];
  if (ts.isClassDeclaration(declaration)) {
    checkClassMembers(state, declaration, name);
    signatures.push(...declaration.members.filter(ts.isConstructorDeclaration));
  }
  if (ts.isFunctionDeclaration(declaration)) signatures.push(declaration);
  for (const signature of signatures) {
    for (const { type, name: typeName } of optionsParameterTypes(state, signature)) checkOptionProperties(state, type, typeName);
  }
}

function checkExport(state, exported) {
  const { checker } = state;
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declarations = (symbol.declarations ?? []).filter(isOwn);
  if (declarations.length === 0 || state.seen.has(symbol)) return; // a dependency's, or counted already
  state.seen.add(symbol);
  state.counts.exports += 1;
  if (hasDoc(symbol, checker)) state.counts.exportsDocumented += 1;
  else state.miss(declarations[0], symbol.name, 'missing doc');
  for (const declaration of declarations) checkDeclarationDetails(state, symbol, declaration);
}

/** `*` within a path segment, `**` across segments. */
function globToRegExp(glob) {
  const pattern = glob
    .replace(/\/$/, '/**')
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part.startsWith('**') ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

function parseArgs(argv) {
  const args = { report: false, allowed: [] };
  for (const arg of argv) {
    if (arg === '--report') args.report = true;
    else if (arg.startsWith('--allow-missing-in=')) args.allowed.push(...arg.slice('--allow-missing-in='.length).split(',').filter(Boolean).map(globToRegExp));
    else {
      console.error(`check-docs: unknown argument ${arg} (use --report, --allow-missing-in=GLOB,...)`);
      process.exit(2);
    }
  }
  return args;
}

function printSummary(state, failing, allowed, report) {
  const { counts } = state;
  const print = (lines) => lines.forEach((miss) => console.log(`${miss.where}  ${miss.name}  ${miss.what}`));
  print(failing);
  if (allowed.length > 0 && report) {
    console.log(`\nAllowed for now (--allow-missing-in), ${allowed.length}:`);
    print(allowed);
  }
  console.log(
    `check-docs: ${counts.exports} exported declarations, ${counts.exportsDocumented} documented, ${counts.exports - counts.exportsDocumented} missing; ` +
      `${counts.members} members (option properties, class methods), ${counts.members - counts.membersDocumented} missing doc; ` +
      `${counts.optional} optional options, ${counts.optional - counts.optionalWithDefault} missing @default; ` +
      `${failing.length} failing, ${allowed.length} allowed${allowed.length > 0 && !report ? ' (--report lists them)' : ''}`,
  );
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const entries = entryPoints();
  const program = createProgram(entries);
  const state = createState(program.getTypeChecker());
  for (const entry of entries) {
    const module = state.checker.getSymbolAtLocation(program.getSourceFile(entry.file));
    if (module === undefined) continue; // an entry without exports
    const exports = state.checker.getExportsOfModule(module).sort((a, b) => a.name.localeCompare(b.name));
    for (const exported of exports) checkExport(state, exported);
  }
  state.misses.sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }));
  const isAllowed = (miss) => args.allowed.some((pattern) => pattern.test(miss.file));
  const failing = state.misses.filter((miss) => !isAllowed(miss));
  printSummary(state, failing, state.misses.filter(isAllowed), args.report);
  if (failing.length > 0 && !args.report) process.exit(1);
}

main();
