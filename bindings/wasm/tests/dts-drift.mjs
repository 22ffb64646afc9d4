// Drift test of the TypeScript declarations, both ways, run by scripts/suites/30-wasm.sh after
// the package is built:
//
//   NODE_PATH=.tools/wasm-node/node_modules node bindings/wasm/tests/dts-drift.mjs \
//     target/wasm-suite/bindgen/node/loansyncro_wasm.d.ts bindings/wasm/pkg
//
// (Run for both entries: index.d.ts + js/api.js, and books.d.ts + js/books.js of loansyncro/books.)
// 1. The hand-kept bindings/wasm/index.d.ts against the package it describes (the object that
//    js/api.js's createApi returns, loaded from pkg/node/index.cjs): the same exported values
//    (functions and classes), each function and method with the same number of parameters as
//    its implementation in js/api.js (parsed with the TypeScript compiler), the same methods
//    and accessors on each class.
// 2. The .d.ts that wasm-bindgen generates for the raw module against js/api.js, its only
//    user: every raw function and class is used (`raw.name`), every `raw.name` js/api.js uses
//    exists, and each call passes as many arguments as the generated signature takes; every
//    generated method is called somewhere with its argument count.
// Exits 1 with the list of differences. Edit index.d.ts (or js/api.js) to match.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);
// The TypeScript 5 compiler API (TypeScript 7, the native port, has no JavaScript API): the npm
// alias `typescript5@npm:typescript@5` in .tools/wasm-node, as scripts/suites/30-wasm.sh installs.
const compilerApi = (name) => {
  for (const from of [name, join(root, '.tools', 'wasm-node', 'node_modules', name)]) {
    try {
      const m = require(from);
      if (typeof m.createSourceFile === 'function') return m;
    } catch {
      // next candidate
    }
  }
  return null;
};
const ts = compilerApi('typescript5') ?? compilerApi('typescript');
if (!ts) {
  console.error('dts-drift: needs the TypeScript 5 compiler API: npm install typescript5@npm:typescript@5');
  process.exit(2);
}

const [generatedPath, pkgDir = join(here, 'pkg')] = process.argv.slice(2);
if (!generatedPath) {
  console.error('usage: dts-drift.mjs <wasm-bindgen nodejs .d.ts> [pkg dir]');
  process.exit(2);
}

const parse = (path, kind) =>
  ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, kind);
const isExported = (node) =>
  (ts.getModifiers?.(node) ?? node.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const nameOf = (node) => (node.name && ts.isIdentifier(node.name) ? node.name.text : null);
const problems = [];

/** A declaration file's exported values: functions (parameter counts) and classes (members). */
function declarations(file) {
  const functions = new Map();
  const classes = new Map();
  for (const s of file.statements) {
    if (!isExported(s)) continue;
    if (ts.isFunctionDeclaration(s) && nameOf(s)) {
      functions.set(nameOf(s), s.parameters.length);
    } else if (ts.isClassDeclaration(s) && nameOf(s)) {
      const methods = new Map();
      const accessors = new Set();
      const properties = new Set();
      let constructorParams = null;
      for (const m of s.members) {
        const n = nameOf(m);
        if (ts.isConstructorDeclaration(m)) {
          const priv = (ts.getModifiers?.(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword);
          if (!priv) constructorParams = Math.max(constructorParams ?? 0, m.parameters.length);
        } else if (!n) {
          continue; // [Symbol.iterator] and other computed names
        } else if (ts.isMethodDeclaration(m)) {
          methods.set(n, Math.max(methods.get(n) ?? 0, m.parameters.length));
        } else if (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
          accessors.add(n);
        } else if (ts.isPropertyDeclaration(m)) {
          properties.add(n);
        }
      }
      classes.set(nameOf(s), { methods, accessors, properties, constructorParams });
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) functions.set(d.name.text, null);
    }
  }
  return { functions, classes };
}

/** js/api.js: the parameter counts of what createApi returns, and its uses of `raw`. */
function implementation(file) {
  const locals = new Map(); // name -> function-like node or class node
  const rawUses = new Map(); // raw export -> list of argument counts (null: not called)
  const memberCalls = new Map(); // .name( -> set of argument counts
  let apiObject = null;
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) && nameOf(node)) locals.set(nameOf(node), node);
    if (ts.isClassDeclaration(node) && nameOf(node)) locals.set(nameOf(node), node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = node.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init)) {
        locals.set(node.name.text, init);
      }
      if (node.name.text === 'api' && ts.isObjectLiteralExpression(init)) apiObject = init;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'raw') {
      const name = node.name.text;
      const parent = node.parent;
      const called = (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node;
      if (!rawUses.has(name)) rawUses.set(name, []);
      rawUses.get(name).push(called ? (parent.arguments?.length ?? 0) : null);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (!memberCalls.has(name)) memberCalls.set(name, new Set());
      memberCalls.get(name).add(node.arguments.length);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!apiObject) throw new Error('js/api.js: no `const api = { ... }` object found');
  const exported = new Map(); // export name -> node
  for (const p of apiObject.properties) {
    if (ts.isShorthandPropertyAssignment(p)) exported.set(p.name.text, locals.get(p.name.text));
    else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) {
      const v = p.initializer;
      exported.set(p.name.text, ts.isIdentifier(v) ? locals.get(v.text) : v);
    }
  }
  return { exported, rawUses, memberCalls };
}

function classMembers(node) {
  const methods = new Map();
  let constructorParams = 0;
  for (const m of node.members) {
    if (ts.isConstructorDeclaration(m)) constructorParams = m.parameters.length;
    else if (ts.isMethodDeclaration(m) && nameOf(m)) methods.set(nameOf(m), m.parameters.length);
  }
  return { methods, constructorParams };
}

const sorted = (set) => [...set].sort();
const minus = (a, b) => sorted([...a].filter((x) => !b.has(x)));

/** Both checks for one entry: its .d.ts, its JS (js/NAME), its CommonJS entry, wasm-bindgen's .d.ts. */
function check(dtsName, jsName, entry, generatedDts) {
  // ------------------------------------------------------------------ 1. the .d.ts vs package
  const index = declarations(parse(join(here, dtsName), ts.ScriptKind.TS));
  const impl = implementation(parse(join(here, 'js', jsName), ts.ScriptKind.JS));
  const api = require(resolve(pkgDir, 'node', entry));

  const declared = new Set([...index.functions.keys(), ...index.classes.keys()]);
  const runtime = new Set(Object.keys(api));
  for (const n of minus(runtime, declared)) problems.push(`${dtsName} does not declare the export ${n}`);
  for (const n of minus(declared, runtime)) problems.push(`${dtsName} declares ${n}, the package does not export it`);

  for (const [name, count] of index.functions) {
    const node = impl.exported.get(name);
    if (!runtime.has(name) || count === null) continue;
    if (typeof api[name] !== 'function') {
      problems.push(`${name}: declared as a function, the package exports a ${typeof api[name]}`);
    } else if (!node || !node.parameters) {
      problems.push(`${name}: no implementation found in js/${jsName}`);
    } else if (node.parameters.length !== count) {
      problems.push(`${name}: ${dtsName} has ${count} parameter(s), js/${jsName} ${node.parameters.length}`);
    }
  }

  for (const [name, decl] of index.classes) {
    const C = api[name];
    if (typeof C !== 'function') continue;
    const own = new Set();
    const accessors = new Set();
    for (const key of Object.getOwnPropertyNames(C.prototype)) {
      if (key === 'constructor' || key.startsWith('_')) continue;
      const d = Object.getOwnPropertyDescriptor(C.prototype, key);
      (d.get || d.set ? accessors : own).add(key);
    }
    const dtsMembers = new Set([...decl.methods.keys(), ...decl.accessors, ...decl.properties]);
    for (const m of minus(new Set([...own, ...accessors]), dtsMembers)) problems.push(`${name}.${m} is not declared in ${dtsName}`);
    for (const m of minus(new Set(decl.methods.keys()), own)) problems.push(`${dtsName} declares the method ${name}.${m}, the class lacks it`);
    for (const m of minus(decl.accessors, accessors)) problems.push(`${dtsName} declares the accessor ${name}.${m}, the class lacks it`);
    for (const m of sorted(accessors)) {
      if (decl.methods.has(m)) problems.push(`${name}.${m}: a method in ${dtsName}, an accessor in the class`);
    }
    const node = impl.exported.get(name);
    if (node && (ts.isClassDeclaration(node) || ts.isClassExpression(node))) {
      const members = classMembers(node);
      for (const [m, count] of decl.methods) {
        if (members.methods.has(m) && members.methods.get(m) !== count) {
          problems.push(`${name}.${m}: ${dtsName} has ${count} parameter(s), js/${jsName} ${members.methods.get(m)}`);
        }
      }
      if (decl.constructorParams !== null && decl.constructorParams !== members.constructorParams) {
        problems.push(`new ${name}(): ${dtsName} has ${decl.constructorParams} parameter(s), js/${jsName} ${members.constructorParams}`);
      }
    }
  }

  // --------------------------------------------------- 2. wasm-bindgen's .d.ts vs the JS
  const generated = declarations(parse(resolve(generatedDts), ts.ScriptKind.TS));
  const rawDeclared = new Set([...generated.functions.keys(), ...generated.classes.keys()]);
  // A class without a constructor (only returned by other calls) is used through its methods.
  const constructible = new Set([...rawDeclared].filter((n) => generated.classes.get(n)?.constructorParams !== null));
  for (const n of minus(constructible, new Set(impl.rawUses.keys()))) problems.push(`raw export ${n} (wasm-bindgen) is not used by js/${jsName}`);
  for (const n of minus(new Set(impl.rawUses.keys()), rawDeclared)) problems.push(`js/${jsName} uses raw.${n}, which wasm-bindgen does not export`);
  for (const [name, uses] of impl.rawUses) {
    const expected = generated.functions.has(name)
      ? generated.functions.get(name)
      : generated.classes.get(name)?.constructorParams;
    if (expected === undefined || expected === null) continue;
    for (const count of uses) {
      if (count !== null && count !== expected) {
        problems.push(`raw.${name}: wasm-bindgen takes ${expected} argument(s), js/${jsName} passes ${count}`);
      }
    }
  }
  for (const [cls, decl] of generated.classes) {
    for (const [m, count] of decl.methods) {
      if (m === 'free') continue; // wasm-bindgen's explicit release; FinalizationRegistry does it
      if (!impl.memberCalls.get(m)?.has(count)) {
        problems.push(`raw ${cls}.${m}(${count} argument(s)) (wasm-bindgen) is never called so by js/${jsName}`);
      }
    }
    for (const g of decl.accessors) {
      if (!impl.memberCalls.has(g) && !readFileSync(join(here, 'js', jsName), 'utf8').includes(`.${g}`)) {
        problems.push(`raw ${cls}.${g} (wasm-bindgen accessor) is never read by js/${jsName}`);
      }
    }
  }

  return { declared, rawDeclared };
}

const main = check('index.d.ts', 'api.js', 'index.cjs', generatedPath);
// The optional second module, loansyncro/books (wasm-bindgen's .d.ts next to the main one).
const books = check('books.d.ts', 'books.js', 'books.cjs', join(dirname(resolve(generatedPath)), 'loansyncro_books.d.ts'));

if (problems.length) {
  console.error(`dts drift: ${problems.length} difference(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `dts drift: ok (${main.declared.size} exports of index.d.ts match the package, ` +
    `${books.declared.size} of books.d.ts match loansyncro/books; ${main.rawDeclared.size} and ` +
    `${books.rawDeclared.size} wasm-bindgen exports match js/api.js and js/books.js)`,
);
