/**
 * A small Dockerfile and .dockerignore reader, and a replayer that runs a Dockerfile's steps on this
 * machine (no Docker engine here): each stage gets its own directory standing in for its filesystem.
 * It knows only the instructions and commands lockwarden's Dockerfile uses and refuses anything else,
 * so a change to the Dockerfile cannot silently escape the replay.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';

export interface Instruction {
  keyword: string;
  /** 1-based line of the instruction's first line. */
  line: number;
  /** `--name=value` options before the arguments, in order. */
  flags: Array<[string, string]>;
  /** The arguments after the options (continuation lines joined). */
  rest: string;
}

export interface Stage {
  index: number;
  name: string | undefined;
  /** The FROM image with build arguments substituted. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (declared before the first FROM) and their defaults. */
  args: Map<string, string>;
  stages: Stage[];
}

/** Lines → instructions: comments and parser directives dropped, `\` continuations joined. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*#/.test(raw)) continue; // comments (also inside a continuation)
    if (buf === '' && raw.trim() === '') continue;
    if (buf === '') start = i + 1;
    const cont = /\\\s*$/.test(raw);
    buf += (buf ? ' ' : '') + (cont ? raw.replace(/\\\s*$/, '') : raw).trim();
    if (cont && i < lines.length - 1) continue;
    const m = /^(\S+)\s*(.*)$/.exec(buf.trim());
    buf = '';
    if (!m) continue;
    let rest = m[2]!;
    const flags: Array<[string, string]> = [];
    for (;;) {
      const f = /^--([A-Za-z-]+)(?:=(\S*))?\s*/.exec(rest);
      if (!f) break;
      flags.push([f[1]!, f[2] ?? '']);
      rest = rest.slice(f[0].length);
    }
    out.push({ keyword: m[1]!.toUpperCase(), line: start, flags, rest: rest.trim() });
  }
  return out;
}

/** `${NAME}`, `${NAME:-default}` and `$NAME`, from `vars` (unknown → empty, as Docker does). */
export function substitute(s: string, vars: ReadonlyMap<string, string>): string {
  return s.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_all, a: string | undefined, def: string | undefined, b: string | undefined) => {
      const v = vars.get((a ?? b)!);
      return v !== undefined && v !== '' ? v : (def ?? '');
    },
  );
}

export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.rest);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.rest}`);
      stages.push({ index: stages.length, name: m[2], base: substitute(m[1]!, args), instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      for (const [k, v] of keyValues(ins.rest)) args.set(k, v ?? '');
      continue;
    }
    stage.instructions.push(ins);
  }
  return { args, stages };
}

/** A JSON array of strings (exec form), or undefined (shell form). */
export function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Shell-like words: single and double quotes, backslash escapes; no expansions. */
export function words(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${s}`);
      cur += s.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        cur += s[j];
      }
      if (j >= s.length) throw new Error(`unterminated quote in: ${s}`);
      has = true;
      i = j;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** `ENV`/`ARG`/`LABEL` arguments: `K=V K2="v 2"`, or the legacy `ENV K value with spaces`. */
export function keyValues(rest: string): Array<[string, string | undefined]> {
  const ws = words(rest);
  if (ws.length >= 1 && !ws[0]!.includes('=') && ws.length > 1) return [[ws[0]!, ws.slice(1).join(' ')]];
  return ws.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

export const flag = (ins: Instruction, name: string) => ins.flags.filter(([k]) => k === name).map(([, v]) => v);

// ---------------------------------------------------------------------------------------- .dockerignore

export interface IgnoreRule {
  negate: boolean;
  re: RegExp;
  pattern: string;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Docker's rules: one pattern a line, `#` comments, `!` exceptions, paths relative to the context root. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let p = raw.trim();
    if (!p || p.startsWith('#')) continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1).trim();
    p = path.posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p || p === '.') continue;
    rules.push({ negate, re: globToRegExp(p), pattern: p });
  }
  return rules;
}

/** Whether Docker leaves `rel` (a context-relative path) out: the last rule matching it or a parent wins. */
export function isIgnored(rules: readonly IgnoreRule[], rel: string): boolean {
  const parts = rel.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const r of rules) if (prefixes.some((p) => r.re.test(p))) ignored = !r.negate;
  return ignored;
}

/** Copies what `docker build` would send as the context: every file of `from` that .dockerignore keeps. */
export async function copyContext(from: string, to: string, rules: readonly IgnoreRule[]): Promise<string[]> {
  const sent: string[] = [];
  const mayReinclude = (rel: string) => rules.some((r) => r.negate && (r.pattern.startsWith(`${rel}/`) || r.pattern.startsWith('**')));
  async function walk(rel: string): Promise<void> {
    for (const e of await readdir(path.join(from, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const ignored = isIgnored(rules, r);
      if (e.isDirectory()) {
        if (ignored && !mayReinclude(r)) continue;
        await walk(r);
      } else if (!ignored && (e.isFile() || e.isSymbolicLink())) {
        await mkdir(path.dirname(path.join(to, r)), { recursive: true });
        await copyFile(path.join(from, r), path.join(to, r));
        sent.push(r);
      }
    }
  }
  await walk('');
  return sent.sort();
}

// ------------------------------------------------------------------------------------------- replay

export interface RunRecord {
  stage: string;
  line: number;
  argv: string[];
  how: 'executed' | 'linked node_modules' | 'mkdir';
  owner?: string;
}

export interface StageState {
  name: string;
  /** The directory standing in for this stage's filesystem root. */
  root: string;
  env: Map<string, string>;
  /** Container path. */
  workdir: string;
  user: string;
  expose: string[];
  cmd?: string[];
  healthcheck?: { flags: Array<[string, string]>; cmd: string[] };
  stopSignal?: string;
}

export interface ReplayOptions {
  /** The build context (what copyContext produced). */
  context: string;
  /** Where stage filesystems are created. */
  workspace: string;
  /**
   * A dependency install that keeps dev dependencies (the build stage's `npm ci`) is not re-run: this
   * node_modules (the repository's own, installed by `npm ci` from the same lockfile) is linked instead.
   */
  devNodeModules: string;
  /** The environment the replayed RUN steps start from (the stage's ENV goes on top). */
  baseEnv: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Replay {
  stages: StageState[];
  runs: RunRecord[];
  /** A container path of `stage` → the host path standing in for it. */
  hostPath(stage: StageState, containerPath: string): string;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, maxBuffer: 32 * 1024 * 1024, timeout: 180_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed in ${cwd}: ${err.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

async function copyTree(src: string, dest: string): Promise<void> {
  const st = await lstat(src);
  if (st.isDirectory()) {
    await mkdir(dest, { recursive: true });
    for (const e of await readdir(src)) await copyTree(path.join(src, e), path.join(dest, e));
  } else if (st.isSymbolicLink()) {
    throw new Error(`refusing to copy a symlink: ${src}`);
  } else {
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(src, dest);
    await chmod(dest, st.mode & 0o777);
  }
}

export async function replayDockerfile(df: Dockerfile, opts: ReplayOptions): Promise<Replay> {
  const stages: StageState[] = [];
  const runs: RunRecord[] = [];
  const hostPath = (s: StageState, p: string) => {
    const abs = path.posix.resolve(s.workdir, p);
    return path.join(s.root, ...abs.split('/').filter(Boolean));
  };
  const byName = (ref: string) => stages.find((s) => s.name === ref) ?? stages[Number(ref)];

  for (const st of df.stages) {
    const state: StageState = {
      name: st.name ?? String(st.index),
      root: path.join(opts.workspace, st.name ?? String(st.index)),
      env: new Map(),
      workdir: '/',
      user: 'root',
      expose: [],
    };
    await mkdir(state.root, { recursive: true });
    stages.push(state);
    const vars = () => new Map([...df.args, ...state.env]);
    for (const ins of st.instructions) {
      const where = `${state.name}, line ${ins.line}`;
      switch (ins.keyword) {
        case 'ARG':
          for (const [k, v] of keyValues(ins.rest)) state.env.set(k, v ?? df.args.get(k) ?? '');
          break;
        case 'ENV':
          for (const [k, v] of keyValues(ins.rest)) {
            if (v === undefined) throw new Error(`${where}: ENV ${k} without a value`);
            state.env.set(k, substitute(v, vars()));
          }
          break;
        case 'WORKDIR':
          state.workdir = path.posix.resolve(state.workdir, substitute(ins.rest, vars()));
          await mkdir(hostPath(state, '.'), { recursive: true });
          break;
        case 'COPY': {
          const parts = execForm(ins.rest) ?? words(ins.rest);
          if (parts.length < 2) throw new Error(`${where}: COPY needs a source and a destination`);
          const dest = substitute(parts[parts.length - 1]!, vars());
          const sources = parts.slice(0, -1).map((s) => substitute(s, vars()));
          const [from] = flag(ins, 'from');
          const fromStage = from !== undefined ? byName(from) : undefined;
          if (from !== undefined && !fromStage) throw new Error(`${where}: COPY --from=${from}: no such stage`);
          for (const src of sources) {
            if (/[*?[]/.test(src)) throw new Error(`${where}: COPY wildcards are not replayed (${src})`);
            const hostSrc = fromStage ? hostPath(fromStage, src) : path.join(opts.context, src);
            if (!fromStage && (path.isAbsolute(src) || src.split('/').includes('..'))) throw new Error(`${where}: COPY source outside the context: ${src}`);
            let isDir: boolean;
            try {
              isDir = (await lstat(hostSrc)).isDirectory();
            } catch {
              throw new Error(`${where}: COPY ${src}: not found in ${fromStage ? `stage ${fromStage.name}` : 'the build context (.dockerignore?)'}`);
            }
            const target =
              isDir || sources.length > 1 || dest.endsWith('/')
                ? hostPath(state, isDir ? dest : path.posix.join(dest, path.posix.basename(src)))
                : hostPath(state, dest);
            await copyTree(hostSrc, target);
          }
          break;
        }
        case 'RUN': {
          if (execForm(ins.rest)) throw new Error(`${where}: exec-form RUN is not replayed`);
          const cwd = hostPath(state, '.');
          const env: NodeJS.ProcessEnv = { ...opts.baseEnv, ...Object.fromEntries(state.env) };
          for (const part of ins.rest.split('&&')) {
            if (/[|;<>`(){}]|\$\(/.test(part.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, '')))
              throw new Error(`${where}: shell syntax is not replayed: ${part.trim()}`);
            const argv = words(substitute(part.trim(), vars()));
            const [cmd, ...args] = argv;
            if (cmd === 'npm' && args[0] === 'ci') {
              // npm leaves dev dependencies out with --omit=dev, or by default when NODE_ENV=production
              const includeDev = args.some((a, i) => a === '--include=dev' || (a === '--include' && args[i + 1] === 'dev') || a === '--production=false');
              const omitDev =
                args.some((a, i) => a === '--omit=dev' || (a === '--omit' && args[i + 1] === 'dev')) || (env['NODE_ENV'] === 'production' && !includeDev);
              if (!omitDev) {
                await symlink(opts.devNodeModules, path.join(cwd, 'node_modules'), 'dir');
                runs.push({ stage: state.name, line: ins.line, argv, how: 'linked node_modules' });
                continue;
              }
              opts.log?.(`[${where}] ${argv.join(' ')}`);
              await run('npm', args, cwd, env);
              runs.push({ stage: state.name, line: ins.line, argv, how: 'executed' });
            } else if (cmd === 'npm' && args[0] === 'run' && args.length === 2) {
              opts.log?.(`[${where}] ${argv.join(' ')}`);
              await run('npm', args, cwd, env);
              runs.push({ stage: state.name, line: ins.line, argv, how: 'executed' });
            } else if (cmd === 'install' && args[0] === '-d') {
              let owner: string | undefined;
              let mode = 0o755;
              const dirs: string[] = [];
              for (let i = 1; i < args.length; i++) {
                const a = args[i]!;
                if (a === '-o' || a === '-g') {
                  if (a === '-o') owner = args[i + 1];
                  i++;
                } else if (a === '-m') mode = parseInt(args[++i]!, 8);
                else if (a.startsWith('-')) throw new Error(`${where}: install option ${a} is not replayed`);
                else dirs.push(a);
              }
              for (const d of dirs) {
                await mkdir(hostPath(state, d), { recursive: true });
                await chmod(hostPath(state, d), mode);
              }
              runs.push({ stage: state.name, line: ins.line, argv, how: 'mkdir', ...(owner ? { owner } : {}) });
            } else {
              throw new Error(`${where}: the replay does not know how to run "${part.trim()}": teach test/packaging/dockerfile.ts`);
            }
          }
          break;
        }
        case 'USER':
          state.user = substitute(ins.rest, vars());
          break;
        case 'EXPOSE':
          state.expose.push(...words(substitute(ins.rest, vars())));
          break;
        case 'HEALTHCHECK': {
          const m = /^CMD\s+(.*)$/i.exec(ins.rest);
          const cmd = m ? execForm(m[1]!) : undefined;
          if (!cmd) throw new Error(`${where}: only HEALTHCHECK [options] CMD ["exec", "form"] is replayed`);
          state.healthcheck = { flags: ins.flags, cmd };
          break;
        }
        case 'STOPSIGNAL':
          state.stopSignal = ins.rest;
          break;
        case 'CMD': {
          const cmd = execForm(ins.rest);
          if (!cmd) throw new Error(`${where}: only exec-form CMD is replayed`);
          state.cmd = cmd;
          break;
        }
        case 'LABEL':
          break;
        default:
          throw new Error(`${where}: ${ins.keyword} is not replayed: teach test/packaging/dockerfile.ts`);
      }
    }
  }
  return { stages, runs, hostPath };
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
