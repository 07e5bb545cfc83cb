"""Writes the ONNX models OnnxImportTest imports, with PyTorch's own exporter, into the folder given.

For each model it also writes <name>.json: the parameter count as PyTorch counts it (parameters plus the
BatchNorm running statistics, which Kiln counts too) and the seed used. Run: python make_models.py OUT_DIR
"""
import json
import os
import sys

import onnx
import torch
import torch.nn as nn

torch.manual_seed(14)


class ResidualCnn(nn.Module):
    """Conv → BatchNorm → ReLU, a residual block (two convolutions, BatchNorm, Add), pooling, a linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.stem_bn = nn.BatchNorm2d(8)
        self.block_conv1 = nn.Conv2d(8, 8, 3, padding=1)
        self.block_bn1 = nn.BatchNorm2d(8)
        self.block_conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.block_bn2 = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(8, 16, 3)
        self.avg = nn.AvgPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        x = torch.relu(self.stem_bn(self.stem(x)))
        y = torch.relu(self.block_bn1(self.block_conv1(x)))
        y = self.block_bn2(self.block_conv2(y))
        x = torch.relu(x + y)
        x = self.avg(torch.relu(self.conv3(self.pool(x))))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.head(self.dropout(x))


class MatMulAdd(nn.Module):
    """x @ W + b written out, which the exporter writes as MatMul and Add rather than Gemm."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_in, n_out) * 0.2)
        self.b = nn.Parameter(torch.randn(n_out) * 0.1)

    def forward(self, x):
        return x @ self.w + self.b


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 32), nn.Tanh(),
                         MatMulAdd(32, 16), nn.LeakyReLU(0.2), nn.Linear(16, 10), nn.Softmax(dim=1))


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.sin(self.fc1(x)))


def randomise_statistics(model):
    """Running statistics away from 0 and 1, so that a BatchNorm read wrongly shows in the outputs."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)


def count(model):
    return sum(t.numel() for k, t in model.state_dict().items() if not k.endswith("num_batches_tracked"))


def export(model, example, name, out, **kw):
    model.eval()
    path = os.path.join(out, name + ".onnx")
    # The TorchScript exporter; training=PRESERVE keeps BatchNormalization as its own node instead of folding it.
    torch.onnx.export(model, (example,), path, dynamo=False, opset_version=kw.pop("opset", 13),
                      input_names=["image"], output_names=["scores"],
                      training=torch.onnx.TrainingMode.PRESERVE, **kw)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump({"parameters": count(model)}, f)


def main(out):
    os.makedirs(out, exist_ok=True)
    cnn = ResidualCnn()
    randomise_statistics(cnn)
    export(cnn, torch.randn(1, 1, 28, 28), "cnn", out, dynamic_axes={"image": {0: "batch"}, "scores": {0: "batch"}})
    export(mlp(), torch.randn(1, 1, 28, 28), "mlp", out, opset=17)
    export(Unsupported(), torch.randn(1, 4), "unsupported", out)
    # The MLP again with its weights in a separate file, as onnx saves models above 2 GB.
    model = onnx.load(os.path.join(out, "mlp.onnx"))
    onnx.save_model(model, os.path.join(out, "external.onnx"), save_as_external_data=True,
                    location="external.data", size_threshold=0)


if __name__ == "__main__":
    main(sys.argv[1])
