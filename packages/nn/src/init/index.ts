/** Parameter initialisers (PyTorch's `torch.nn.init`); every one updates in place under no-grad. */
export * from './gain.js';
export * from './initializers.js';
