/**
 * WGSL math helpers with float32 accuracy close to correctly rounded, where WGSL's built-ins only
 * promise loose bounds (log near 1, tanh, erf) or leave edge cases undefined (pow of negative bases,
 * log of negatives). Each helper is a WGSL source string; {@link mathHelpers} collects a set and its
 * dependencies in order.
 */

const EXP = `
fn m_exp(x: f32) -> f32 { return select(exp(x), x, is_nan(x)); }`;

const LOG = `
fn m_log(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 0.7 && x < 1.5) {
    let s = (x - 1.0) / (x + 1.0);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (0.33333334 + s2 * (0.2 + s2 * (0.14285715 + s2 * (0.11111111 + s2 * (0.09090909 + s2 * 0.07692308))))));
  }
  if (x < 0.0) { return f_nan(); }
  if (x == 0.0) { return -f_inf(); }
  return log(x);
}`;

const LOG1P = `
fn m_log1p(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) < 0.4) {
    let s = x / (2.0 + x);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (0.33333334 + s2 * (0.2 + s2 * (0.14285715 + s2 * (0.11111111 + s2 * 0.09090909)))));
  }
  return m_log(1.0 + x);
}`;

const EXPM1 = `
fn m_expm1(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * (0.0001984127 + x * 0.0000248016)))))));
  }
  if (x > 88.8) { return f_inf(); }
  return exp(x) - 1.0;
}`;

const TANH = `
fn m_tanh(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a > 9.1) { return sign(x); }
  let e = m_expm1(-2.0 * a);
  return -sign(x) * e / (2.0 + e);
}`;

const SIGMOID = `
fn m_sigmoid(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`;

// Cephes sinf/cosf: reduction by multiples of pi/4 in three parts, then minimax polynomials (~1 ulp for |x| < 8192).
const SINCOS = `
fn m_sin_poly(r: f32) -> f32 { let z = r * r; return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r; }
fn m_cos_poly(r: f32) -> f32 { let z = r * r; return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0; }
fn m_octant(x: f32) -> vec2<f32> {
  var j = u32(x * 1.27323954473516);
  var y = f32(j);
  if ((j & 1u) == 1u) { j += 1u; y += 1.0; }
  let r = ((x - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  return vec2<f32>(f32(j & 7u), r);
}
fn m_sin(v: f32) -> f32 {
  if (is_nan(v) || is_inf(v)) { return f_nan(); }
  var sgn = select(1.0, -1.0, v < 0.0);
  let o = m_octant(abs(v));
  var j = u32(o.x);
  if (j > 3u) { sgn = -sgn; j -= 4u; }
  let r = select(m_sin_poly(o.y), m_cos_poly(o.y), j == 1u || j == 2u);
  return sgn * r;
}
fn m_cos(v: f32) -> f32 {
  if (is_nan(v) || is_inf(v)) { return f_nan(); }
  var sgn = 1.0;
  let o = m_octant(abs(v));
  var j = u32(o.x);
  if (j > 3u) { sgn = -sgn; j -= 4u; }
  if (j > 1u) { sgn = -sgn; }
  let r = select(m_cos_poly(o.y), m_sin_poly(o.y), j == 1u || j == 2u);
  return sgn * r;
}`;

// W. J. Cody's rational approximations (as in the CPU backend's erf.ts), evaluated in f32.
const ERF = `
fn m_exp_neg_sq(y: f32) -> f32 {
  let ysq = trunc(y * 16.0) / 16.0;
  let del = (y - ysq) * (y + ysq);
  return exp(-ysq * ysq) * exp(-del);
}
fn m_erf_small(x: f32) -> f32 {
  let z = x * x;
  let num = ((((0.18577770618460315 * z + 3.1611237438705656) * z + 113.86415415105016) * z + 377.485237685302) * z + 3209.3775891384694);
  let den = ((((z + 23.601290952344122) * z + 244.02463793444417) * z + 1282.6165260773723) * z + 2844.236833439171);
  return x * num / den;
}
fn m_erfc_pos(y: f32) -> f32 {
  if (y <= 4.0) {
    var n = 2.15311535474403846e-8 * y;
    var d = y;
    n = (n + 0.5641884969886701) * y; d = (d + 15.744926110709835) * y;
    n = (n + 8.883149794388377) * y; d = (d + 117.6939508913125) * y;
    n = (n + 66.11919063714163) * y; d = (d + 537.1811018620099) * y;
    n = (n + 298.635138197400131) * y; d = (d + 1621.3895745666903) * y;
    n = (n + 881.952221241769090) * y; d = (d + 3290.7992357334597) * y;
    n = (n + 1712.04761263407058) * y; d = (d + 4362.619090143247) * y;
    n = (n + 2051.07837782607147) * y; d = (d + 3439.3676741437216) * y;
    return (n + 1230.33935479799725) / (d + 1230.3393548037495) * m_exp_neg_sq(y);
  }
  if (y >= 10.1) { return 0.0; }
  let z = 1.0 / (y * y);
  var n = 0.016315387137302097 * z;
  var d = z;
  n = (n + 0.30532663496123236) * z; d = (d + 2.568520192289822) * z;
  n = (n + 0.36034489994980445) * z; d = (d + 1.8729528499234604) * z;
  n = (n + 0.12578172611122926) * z; d = (d + 0.5279051029514284) * z;
  n = (n + 0.016083785148742275) * z; d = (d + 0.06051834131244132) * z;
  let r = z * (n + 6.587491615298378e-4) / (d + 0.0023352049762686918);
  return (0.5641895835477563 - r) / y * m_exp_neg_sq(y);
}
fn m_erf(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) <= 0.46875) { return m_erf_small(x); }
  let r = 1.0 - m_erfc_pos(abs(x));
  return select(r, -r, x < 0.0);
}
fn m_erfc(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) <= 0.46875) { return 1.0 - m_erf_small(x); }
  let r = m_erfc_pos(abs(x));
  return select(r, 2.0 - r, x < 0.0);
}`;

// pow with C/PyTorch semantics: 1^y = 1, x^0 = 1, (-1)^±inf = 1, negative bases need integer exponents.
const POW = `
fn m_pow(a: f32, b: f32) -> f32 {
  if (a == 1.0 || b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  let ab = abs(a);
  if (is_inf(b)) {
    if (ab == 1.0) { return 1.0; }
    return select(0.0, f_inf(), (ab > 1.0) == (b > 0.0));
  }
  let bInt = floor(b) == b;
  let odd = bInt && abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  if (a < 0.0 && !bInt && !is_inf(a)) { return f_nan(); }
  var r: f32;
  if (ab == 0.0) { r = select(0.0, f_inf(), b < 0.0); }
  else if (is_inf(ab)) { r = select(f_inf(), 0.0, b < 0.0); }
  else if (bInt && abs(b) <= 64.0) {
    var e = u32(abs(b));
    var base = ab;
    r = 1.0;
    loop {
      if ((e & 1u) == 1u) { r = r * base; }
      e = e >> 1u;
      if (e == 0u) { break; }
      base = base * base;
    }
    if (b < 0.0) { r = 1.0 / r; }
  } else { r = exp2(b * log2(ab)); }
  return select(r, -r, a < 0.0 && odd);
}`;

// atan on [0, 1] by a minimax polynomial in t^2 after reducing with atan(x) = pi/4 + atan((x-1)/(x+1)).
const ATAN2 = `
fn m_atan01(x: f32) -> f32 {
  var t = x;
  var base = 0.0;
  if (t > 0.41421356) { t = (t - 1.0) / (t + 1.0); base = 0.78539816; }
  let z = t * t;
  return base + t * (1.0 + z * (-0.33333334 + z * (0.2 + z * (-0.14285715 + z * (0.11111111 + z * (-0.09090909 + z * (0.07692308 - z * 0.06666667)))))));
}
fn m_atan2(y: f32, x: f32) -> f32 {
  if (is_nan(x) || is_nan(y)) { return f_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  var r: f32;
  if (ax == 0.0 && ay == 0.0) { r = 0.0; }
  else if (is_inf(ax) && is_inf(ay)) { r = 0.78539816; }
  else if (ay <= ax) { r = m_atan01(ay / ax); }
  else { r = 1.5707964 - m_atan01(ax / ay); }
  let neg_x = x < 0.0 || (x == 0.0 && (bitcast<u32>(x) & 0x80000000u) != 0u);
  if (neg_x) { r = 3.1415927 - r; }
  return select(r, -r, y < 0.0 || (y == 0.0 && (bitcast<u32>(y) & 0x80000000u) != 0u));
}`;

const HELPERS: Record<string, { src: string; deps: string[] }> = {
  exp: { src: EXP, deps: [] },
  sincos: { src: SINCOS, deps: [] },
  log: { src: LOG, deps: [] },
  log1p: { src: LOG1P, deps: ['log'] },
  expm1: { src: EXPM1, deps: [] },
  tanh: { src: TANH, deps: ['expm1'] },
  sigmoid: { src: SIGMOID, deps: [] },
  erf: { src: ERF, deps: [] },
  pow: { src: POW, deps: [] },
  atan2: { src: ATAN2, deps: [] },
};


/** The WGSL sources of `names` and their dependencies, each once, dependencies first. */
export function mathHelpers(names: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const h = HELPERS[n];
    if (h === undefined) throw new Error(`webgpu backend: unknown WGSL math helper '${n}'`);
    h.deps.forEach(add);
    out.push(h.src);
  };
  names.forEach(add);
  return out;
}
