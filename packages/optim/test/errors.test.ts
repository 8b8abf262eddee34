/** Table-driven: PyTorch 1.13 defaults and every constructor validation of every optimizer. */
import { describe, expect, it } from 'vitest';
import { makeEngine, mk } from './helpers.js';
import { OPTIMIZERS } from './optimizers.table.js';

const engine = makeEngine(false);
const param = () => mk(engine, [1, 2], [2], 'float32', true);

for (const d of OPTIMIZERS) {
  describe(`${d.name} options`, () => {
    it("defaults are PyTorch 1.13's", () => {
      const opt = d.create([param()] as never, d.name === 'SGD' ? { lr: d.defaults['lr'] } : {});
      expect(opt.defaults).toEqual(d.defaults);
      const { params, ...hyper } = opt.paramGroups[0]!;
      expect(params.length).toBe(1);
      expect(hyper).toEqual(d.defaults);
    });

    it.each(d.invalid.map(([o, m]) => [JSON.stringify(o), o, m] as const))('rejects %s', (_, options, message) => {
      expect(() => d.create([param()] as never, options)).toThrow(message);
      // the same check applies to a param-group override
      const { lr, ...rest } = options as Record<string, unknown>;
      const base = d.name === 'SGD' ? { lr: 0.1 } : {};
      if (Object.keys(rest).length > 0 || lr !== undefined) {
        expect(() => d.create([{ params: [param()], ...options }] as never, base)).toThrow(message);
      }
    });
  });
}
