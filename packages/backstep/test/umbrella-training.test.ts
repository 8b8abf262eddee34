import { describe, expect, it } from 'vitest';
import { Adam, History, lrScheduler, nn, tensor } from '../src/index.js';

describe('@backstep/backstep: a training loop with back-stepping, no setup', () => {
  it('trains, back-steps exactly, and retries', () => {
    const model = new nn.Linear(2, 1);
    const opt = new Adam([...model.parameters()], { lr: 0.1 });
    const sched = new lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const history = new History({ model, optimizer: opt, scheduler: sched });
    const x = tensor([[1, 2], [3, 4]]);
    const y = tensor([[1], [2]]);
    const step = () => {
      opt.zeroGrad();
      new nn.MSELoss().forward(model.forward(x), y).backward();
      opt.step();
      sched.step();
    };
    step();
    history.commit();
    step();
    const after = [...model.parameters()].map((p) => p.tolist());
    const lr = sched.getLastLr();
    history.backStep();
    step();
    expect([...model.parameters()].map((p) => p.tolist())).toEqual(after);
    expect(sched.getLastLr()).toEqual(lr);
  });
});
