/** The two MNIST models: a multilayer perceptron and a small convolutional network. */
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@backstep/nn';

/** 784 → 128 → ReLU → 10 (101,770 parameters). */
export function makeMlp(): Sequential {
  return new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
}

/**
 * conv 3×3 (1 → 8) → ReLU → max-pool 2 → conv 3×3 (8 → 16) → ReLU → max-pool 2 → 784 → 64 → ReLU → 10
 * (52,138 parameters). Input `[N, 1, 28, 28]`.
 */
export function makeCnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 7 * 7, 64),
    new ReLU(),
    new Linear(64, 10),
  );
}

/** Number of trainable parameters. */
export function countParameters(model: Sequential): number {
  return model.parameters().reduce((n, p) => n + p.numel(), 0);
}
