#!/usr/bin/env python3
"""PyTorch side of kiln.engine.nn.ConvBench: the convolution, ReLU and max-pooling part of LeNet or the Keras MNIST
CNN (batch 64 on 1x28x28), or the nine 3x3 convolutions of the small CIFAR-10 ResNet with ReLUs (batch 64 on
3x32x32), forward and backward without the input gradient. Prints one RESULT line with the median step time.
usage: conv-bench-torch.py lenet|keras|resnet THREADS STEPS WARMUP"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

net, threads, steps, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(42)
shape = (64, 1, 28, 28)
if net == "lenet":
    layers = [(nn.Conv2d(1, 6, 5), True), (nn.Conv2d(6, 16, 5), True)]
elif net == "keras":
    layers = [(nn.Conv2d(1, 32, 3), True), (nn.Conv2d(32, 64, 3), True), (nn.Conv2d(64, 64, 3), False)]
else:
    shape = (64, 3, 32, 32)
    # Symmetric padding 1 costs what Kiln's "same" padding does (the odd row after, for stride 2).
    channels = [(3, 16, 1), (16, 16, 1), (16, 16, 1), (16, 32, 2), (32, 32, 1), (32, 32, 1), (32, 64, 2), (64, 64, 1), (64, 64, 1)]
    layers = [(nn.Conv2d(i, o, 3, stride=s, padding=1), False) for i, o, s in channels]


def part(x):
    for conv, pool in layers:
        x = F.relu(conv(x))
        if pool:
            x = F.max_pool2d(x, 2)
    return x


x = torch.rand(*shape)
grad = torch.randn_like(part(x))


def step():
    for conv, _ in layers:
        conv.weight.grad = None
        conv.bias.grad = None
    part(x).backward(grad)


for _ in range(warmup):
    step()
ms = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    ms.append((time.perf_counter() - t0) * 1000)
ms.sort()
print(f"RESULT fw=torch net={net} threads={torch.get_num_threads()} steps={steps} median_ms={ms[len(ms) // 2]:.3f}")
