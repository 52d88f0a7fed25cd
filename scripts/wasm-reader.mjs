// A cursor over a WebAssembly binary, for the scripts that read or rewrite its sections
// (scripts/short-names.mjs, scripts/exports-first.mjs, scripts/stub-dead.mjs, bench/wasm-breakdown.mjs): bytes, unsigned LEB128 numbers and
// names, as the binary format spells them; the imported functions and the function names; and
// the encoders of LEB128 numbers and names.

/** Reads `bytes`, a wasm module (checked by its magic number), from just after its header. */
export class WasmReader {
  constructor(bytes, what = "the input") {
    if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${what} is not a wasm module`);
    this.bytes = bytes;
    this.pos = 8;
  }

  /** Whether every byte has been read. */
  get done() {
    return this.pos >= this.bytes.length;
  }

  /** The sections from the cursor on, each as `{ id, size, start, end }` (the bounds of its
   *  content): the cursor is at `start` when one is yielded and moves to `end` after. */
  *sections() {
    while (!this.done) {
      const id = this.u8();
      const size = this.leb();
      const start = this.pos;
      yield { id, size, start, end: start + size };
      this.pos = start + size;
    }
  }

  /** One byte. */
  u8() {
    return this.bytes[this.pos++];
  }

  /** An unsigned LEB128 number (exact up to 2^53). */
  leb() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return result;
    }
  }

  /** A name: its length in bytes, then UTF-8. */
  name() {
    const n = this.leb();
    const s = this.bytes.subarray(this.pos, this.pos + n).toString("utf8");
    this.pos += n;
    return s;
  }

  /** Reads an import section's content (the cursor at its start) and returns how many of the
   *  imports are functions: the first function index of the module's own functions. */
  importedFunctions() {
    let functions = 0;
    for (let n = this.leb(); n > 0; n--) {
      this.name();
      this.name();
      if (this.importDescriptor() === 0) functions++;
    }
    return functions;
  }

  /** Reads the rest of a "name" section up to `end` (the cursor just after its name) and
   *  returns the function names of its subsection 1, by function index. */
  functionNames(end) {
    const names = new Map();
    while (this.pos < end) {
      const sub = this.u8();
      const size = this.leb();
      const next = this.pos + size;
      if (sub === 1) for (let n = this.leb(); n > 0; n--) names.set(this.leb(), this.name());
      this.pos = next;
    }
    return names;
  }

  /** Skips an import's descriptor, returning its kind (0 function, 1 table, 2 memory,
   *  3 global, 4 tag). */
  importDescriptor() {
    const kind = this.u8();
    if (kind === 0) this.leb();
    else if (kind === 1 || kind === 2) {
      if (kind === 1) this.u8();
      const flags = this.leb();
      this.leb();
      if (flags & 1) this.leb();
    } else if (kind === 3) this.pos += 2;
    else if (kind === 4) {
      this.u8();
      this.leb();
    } else throw new Error(`import kind ${kind} not understood`);
    return kind;
  }
}

/** `n` as an unsigned LEB128 number. */
export function encodeLeb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** `s` as a wasm name. */
export function encodeName(s) {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([encodeLeb(b.length), b]);
}
