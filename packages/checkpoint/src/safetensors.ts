import { allocArray, sizeOf, type DType, type DataArray } from '@backstep/tensor';

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length N, a UTF-8 JSON header of N bytes (`{ name: { dtype, shape, data_offsets } ,
 * __metadata__: { key: string } }`), then the raw little-endian tensor bytes.
 */

/** One tensor as stored in a safetensors file: host values plus shape and dtype. */
export interface HostTensor {
  /** Element type. */
  dtype: DType;
  /** Shape. */
  shape: number[];
  /** Row-major values. */
  values: DataArray;
}

/** A decoded safetensors file. */
export interface SafetensorsContent {
  /** Tensors by name, in file order. */
  tensors: Map<string, HostTensor>;
  /** The `__metadata__` string map. */
  metadata: Record<string, string>;
}

/** A file that is not valid safetensors (truncated, corrupted, wrong format). */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const TO_ST: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const BYTES: Record<string, number> = { F32: 4, F64: 8, I32: 4, BOOL: 1, I64: 8, F16: 2, BF16: 2, U8: 1, I8: 1, I16: 2 };
const MAX_HEADER = 100 * 1024 * 1024;

/** Encodes tensors and string metadata as safetensors bytes (header padded to 8 bytes, as the reference writer does). */
export function encodeSafetensors(tensors: Iterable<[string, HostTensor]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`safetensors metadata values must be strings (key '${k}')`);
  }
  const parts: Array<{ bytes: Uint8Array }> = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new TypeError("a tensor cannot be named '__metadata__'");
    if (name in header) throw new TypeError(`duplicate tensor name '${name}'`);
    if (sizeOf(t.shape) !== t.values.length) {
      throw new TypeError(`tensor '${name}': shape [${t.shape.join(', ')}] does not match ${t.values.length} values`);
    }
    const bytes = toLittleEndianBytes(t);
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push({ bytes });
    offset += bytes.length;
  }
  // tensors in insertion order, then __metadata__, as the reference (Python) writer lays it out
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad) {
    json += ' '.repeat(pad);
    headerBytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p.bytes, at);
    at += p.bytes.length;
  }
  return out;
}

function toLittleEndianBytes(t: HostTensor): Uint8Array {
  const v = t.values;
  // all supported hosts are little-endian; copy so the result owns its bytes
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

/**
 * Decodes safetensors bytes, validating the header length, the JSON, every entry's dtype, shape
 * and offsets (in bounds, non-overlapping, covering the buffer). Throws {@link SafetensorsError}.
 * `I64` tensors are converted to int32 (throwing if a value does not fit).
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError('safetensors: expected a Uint8Array');
  if (bytes.length < 8) throw new SafetensorsError(`safetensors: file too short (${bytes.length} bytes; the header length alone takes 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) {
    throw new SafetensorsError(`safetensors: header length ${n} exceeds the file size ${bytes.length} (truncated or not a safetensors file)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    throw new SafetensorsError(`safetensors: the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsError('safetensors: the header must be a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<[string, { dtype: string; shape: number[]; begin: number; end: number }]> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object') throw new SafetensorsError('safetensors: __metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SafetensorsError(`safetensors: metadata '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e?.dtype !== 'string' || !(e.dtype in BYTES)) throw new SafetensorsError(`safetensors: tensor '${name}' has an unknown dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new SafetensorsError(`safetensors: tensor '${name}' has an invalid shape`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[0] > off[1] || off[1] > dataLen) {
      throw new SafetensorsError(`safetensors: tensor '${name}' has data offsets ${JSON.stringify(off)} outside the ${dataLen} data bytes (truncated file?)`);
    }
    const shape = e.shape as number[];
    if ((off[1] - off[0]) !== sizeOf(shape) * (BYTES[e.dtype] as number)) {
      throw new SafetensorsError(`safetensors: tensor '${name}' (${e.dtype} [${shape.join(', ')}]) has ${off[1] - off[0]} bytes, expected ${sizeOf(shape) * (BYTES[e.dtype] as number)}`);
    }
    entries.push([name, { dtype: e.dtype, shape, begin: off[0], end: off[1] }]);
  }
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin);
  let expect = 0;
  for (const [name, e] of sorted) {
    if (e.begin !== expect) throw new SafetensorsError(`safetensors: tensor '${name}' data does not follow the previous tensor (gap or overlap at byte ${e.begin})`);
    expect = e.end;
  }
  if (expect !== dataLen) throw new SafetensorsError(`safetensors: ${dataLen - expect} trailing bytes after the last tensor`);
  const tensors = new Map<string, HostTensor>();
  for (const [name, e] of entries) {
    tensors.set(name, fromBytes(name, e.dtype, e.shape, bytes.subarray(dataStart + e.begin, dataStart + e.end)));
  }
  return { tensors, metadata };
}

function fromBytes(name: string, stDType: string, shape: number[], raw: Uint8Array): HostTensor {
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  const buf = copy.buffer;
  switch (stDType) {
    case 'F32': return { dtype: 'float32', shape, values: new Float32Array(buf) };
    case 'F64': return { dtype: 'float64', shape, values: new Float64Array(buf) };
    case 'I32': return { dtype: 'int32', shape, values: new Int32Array(buf) };
    case 'BOOL': return { dtype: 'bool', shape, values: Uint8Array.from(copy, (b) => (b ? 1 : 0)) };
    case 'I64': {
      const big = new BigInt64Array(buf);
      const out = new Int32Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i] as bigint;
        if (v > 2147483647n || v < -2147483648n) throw new SafetensorsError(`safetensors: tensor '${name}' (I64) holds ${v}, which does not fit int32`);
        out[i] = Number(v);
      }
      return { dtype: 'int32', shape, values: out };
    }
    case 'F16':
    case 'BF16': {
      const u16 = new Uint16Array(buf);
      const out = allocArray('float32', u16.length) as Float32Array;
      for (let i = 0; i < u16.length; i++) out[i] = stDType === 'F16' ? halfToFloat(u16[i] as number) : bf16ToFloat(u16[i] as number);
      return { dtype: 'float32', shape, values: out };
    }
    default:
      throw new SafetensorsError(`safetensors: tensor '${name}' has dtype ${stDType}, which Backstep cannot load`);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function bf16ToFloat(b: number): number {
  const u = new Uint32Array([b << 16]);
  return new Float32Array(u.buffer)[0] as number;
}
