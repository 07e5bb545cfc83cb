"""PyTorch's side of PyTorchParityTest: python parity.py DIR runs every case folder in DIR.

A case folder holds case.json, weights.safetensors (the state dict) and batch.safetensors (input, target,
seed). This script writes torch.safetensors with what PyTorch autograd computes from the same weights and
batch, or error.txt when the case cannot run; PyTorchParityTest compares.
"""
import json
import sys
import traceback
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn


class KilnLstm(nn.LSTM):
    """Kiln's LSTM layer, which the PyTorch export refuses, written by hand: nn.LSTM over (N, T, F) with zero
    initial state, giving every step's output or the last one's. Kiln keeps one bias, bias_ih_l0; PyTorch's
    second bias, bias_hh_l0, is held at zero."""

    def __init__(self, features, units, return_sequences):
        super().__init__(features, units, batch_first=True)
        self.return_sequences = return_sequences
        with torch.no_grad():
            self.bias_hh_l0.zero_()
        self.bias_hh_l0.requires_grad_(False)

    def forward(self, x):
        y, _ = super().forward(x)
        return y if self.return_sequences else y[:, -1]


class KilnEmbedding(nn.Embedding):
    """Kiln's Embedding layer, which the PyTorch export refuses, written by hand: token ids arrive as floats
    of shape (N, T, 1)."""

    def forward(self, ids):
        return super().forward(ids.long().squeeze(-1))


class KilnDense(nn.Linear):
    """Kiln's Dense layer without adapters: nn.Linear and its activation, named as one layer."""

    def __init__(self, features, p):
        super().__init__(features, p["units"])
        self.act = {"relu": F.relu, "tanh": torch.tanh, "linear": lambda z: z}[p["activation"]]

    def forward(self, x):
        return self.act(super().forward(x))


class KilnLoraDense(nn.Module):
    """Kiln's Dense layer with LoRA adapters, as PEFT's lora.Linear computes it: the weight and bias are frozen
    (buffers), A (rank, in) and B (out, rank) train, y = act(x·Wᵀ + b + (x·Aᵀ)·Bᵀ·alpha/rank). The export merges
    the adapters, so their gradients are checked here."""

    def __init__(self, features, p):
        super().__init__()
        units, rank = p["units"], p["loraRank"]
        self.register_buffer("weight", torch.zeros(units, features))
        self.register_buffer("bias", torch.zeros(units))
        self.lora_A = nn.Parameter(torch.zeros(rank, features))
        self.lora_B = nn.Parameter(torch.zeros(units, rank))
        self.scale = p["loraAlpha"] / rank
        self.act = {"relu": F.relu, "tanh": torch.tanh, "linear": lambda z: z}[p["activation"]]

    def forward(self, x):
        return self.act(F.linear(x, self.weight, self.bias) + (x @ self.lora_A.T) @ self.lora_B.T * self.scale)


def activation(loss):
    return {"SOFTMAX_CROSS_ENTROPY": lambda z: torch.softmax(z, dim=1),
            "SIGMOID_BINARY_CROSS_ENTROPY": torch.sigmoid,
            "MEAN_SQUARED_ERROR": lambda z: z,
            "MEAN_ABSOLUTE_ERROR": lambda z: z}[loss]


class HandWritten(nn.Module):
    """A chain of Input, Embedding, LSTM, Flatten, Dense (with LoRA adapters), Dropout and Output layers, for the
    networks the export refuses or merges.
    Each layer is an attribute named as in Kiln, so the state dict's names are Kiln's parameter names."""

    def __init__(self, layers, loss):
        super().__init__()
        self.order = []
        self.activation = activation(loss)
        for layer in layers:
            kind, p, shape = layer["type"], layer["params"], layer["input"]
            if kind == "input":
                continue
            if kind == "embedding":
                module = KilnEmbedding(p["vocabulary"], p["dimensions"])
            elif kind == "lstm":
                module = KilnLstm(shape[-1], p["units"], p["returnSequences"])
            elif kind == "flatten":
                module = nn.Flatten()
            elif kind == "dense" and p["loraRank"] > 0:
                module = KilnLoraDense(shape[0], p)
            elif kind == "dense":
                module = KilnDense(shape[0], p)
            elif kind == "dropout":
                module = nn.Dropout(p["rate"])
            elif kind == "output":
                module = nn.Linear(shape[0], p["units"])
            else:
                raise ValueError(f"no hand-written PyTorch equivalent of {kind}")
            setattr(self, layer["name"], module)
            self.order.append(layer["name"])

    def forward(self, x):
        for name in self.order:
            x = getattr(self, name)(x)
        return self.activation(x)


def build(case):
    if "code" in case:
        scope = {"torch": torch, "nn": nn, "F": F}
        exec(case["code"], scope)
        return scope[case["class"]]()
    return HandWritten(case["layers"], case["loss"])


def load(model, weights):
    missing, unexpected = model.load_state_dict(weights, strict=False)
    held = {f"{name}.bias_hh_l0" for name, m in model.named_modules() if isinstance(m, KilnLstm)}
    if set(missing) != held or unexpected:
        raise ValueError(f"state dict mismatch: missing {missing}, unexpected {unexpected}")


def loss_of(kind, logits, target):
    if kind == "SOFTMAX_CROSS_ENTROPY":
        return F.cross_entropy(logits, target)  # target rows are class probabilities; mean over the batch
    if kind == "SIGMOID_BINARY_CROSS_ENTROPY":
        return F.binary_cross_entropy_with_logits(logits, target)  # mean over every element
    if kind == "MEAN_ABSOLUTE_ERROR":
        return F.l1_loss(logits, target)  # mean over every element
    return F.mse_loss(logits, target)  # mean over every element


class Logits:
    """Keeps the output layer's pre-activation values on each forward pass."""

    def __init__(self, model, output):
        self.value = None
        getattr(model, output).register_forward_hook(self.keep)

    def keep(self, module, inputs, output):
        self.value = output


def input_gradient(x):
    return x.grad if x.grad is not None else torch.zeros_like(x)  # token ids have no gradient


def decayed(model):
    """The tensors Kiln's L2 shrinks: weight matrices and kernels, not biases or BatchNorm's scale and shift."""
    out = []
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.Embedding)):
            out.append(m.weight)
        elif isinstance(m, KilnLoraDense):
            out += [m.lora_A, m.lora_B]
        elif isinstance(m, nn.LSTM):
            out += [m.weight_ih_l0, m.weight_hh_l0]
    return out


def optimizer(model, spec, rates):
    """One parameter group per (weight decay, learning-rate multiplier), as Kiln's per-layer rates are."""
    kind, lr = spec["kind"], spec["lr"]
    names = {id(p): name for name, p in model.named_parameters()}
    decay = [p for p in decayed(model) if p.requires_grad]
    rest = [p for p in model.parameters() if p.requires_grad and all(p is not d for d in decay)]
    groups = []
    for params, weight_decay in ((decay, spec["l2"]), (rest, 0.0)):
        by_rate = {}
        for p in params:
            by_rate.setdefault(rates.get(names[id(p)], 1.0), []).append(p)
        groups += [{"params": ps, "weight_decay": weight_decay, "lr": lr * r} for r, ps in by_rate.items()]
    if kind == "ADAM":
        return torch.optim.Adam(groups, lr=lr)
    if kind == "NESTEROV":
        return torch.optim.SGD(groups, lr=lr, momentum=spec["momentum"], nesterov=True)
    if kind == "RMSPROP":
        return torch.optim.RMSprop(groups, lr=lr)
    return torch.optim.SGD(groups, lr=lr)


def run(folder):
    case = json.loads((folder / "case.json").read_text())
    batch = load_file(folder / "batch.safetensors")
    model = build(case)
    load(model, load_file(folder / "weights.safetensors"))
    for name in case.get("frozen", []):
        model.get_parameter(name).requires_grad_(False)
    logits = Logits(model, case["output"])
    x, target = batch["input"], batch["target"]
    out = {}
    if "optimizer" in case:
        model.train()
        for name in case.get("inference", []):
            getattr(model, name).eval()
        opt = optimizer(model, case["optimizer"], case.get("rates", {}))
        losses = []
        for _ in range(case["optimizer"]["steps"]):
            opt.zero_grad()
            model(x)
            loss = loss_of(case["loss"], logits.value, target)
            losses.append(loss.item())
            loss.backward()
            opt.step()
        out["losses"] = torch.tensor(losses, dtype=torch.float64)
        out.update(("final." + name, t) for name, t in model.state_dict().items() if t.is_floating_point())
        return out

    model.eval()
    with torch.no_grad():
        out["prediction"] = model(x)
    xe = x.clone().requires_grad_(True)
    model(xe)
    (logits.value * batch["seed"]).sum().backward()
    out["explain.input"] = input_gradient(xe)
    model.zero_grad(set_to_none=True)
    if case["train"]:
        model.train()
        for name in case.get("inference", []):
            getattr(model, name).eval()
        xt = x.clone().requires_grad_(True)
        model(xt)
        loss = loss_of(case["loss"], logits.value, target)
        loss.backward()
        out["train.loss"] = loss.detach().double().reshape(1)
        out["train.input"] = input_gradient(xt)
        for name, p in model.named_parameters():
            if p.requires_grad:
                out["grad." + name] = p.grad
        for name, b in model.named_buffers():
            if b.is_floating_point():  # running statistics, not num_batches_tracked
                out["state." + name] = b
    return out


def main():
    for folder in sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_dir()):
        try:
            out = run(folder)
            save_file({k: v.detach().contiguous() for k, v in out.items()}, str(folder / "torch.safetensors"))
        except Exception:  # reported per case by the Java test
            (folder / "error.txt").write_text(traceback.format_exc())


if __name__ == "__main__":
    main()
