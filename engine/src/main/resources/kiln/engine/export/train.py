"""Trains the network of a Kiln project with PyTorch, as Kiln would, on one process or several (DDP).

Everything it needs is beside it: model.py (the network), weights.safetensors (the starting weights),
data.npz (the data after Kiln's pipeline) and kiln-training.json (the training settings).

    python train.py                                  CPU, or one GPU when PyTorch sees one
    torchrun --nproc_per_node 2 train.py             two processes (gloo on CPU, NCCL on GPUs)
    python train.py --epochs 1 --max-batches 20      a quick check

It writes a run folder (default: run/ beside this file) that `kiln runs import` brings back into Kiln:
metrics.csv (Kiln's format), checkpoint.safetensors (every epoch), best.safetensors (lowest validation
loss) and result.json.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import safetensors
import torch
import torch.distributed as dist
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import model as exported  # noqa: E402

METRICS_HEADER = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,learning_rate"
SCORE_EPS = 1e-7  # as Kiln scores: probabilities are clamped before the logarithm
OPTIMIZER_STATE = {"adam": ("ADAM", ["exp_avg", "exp_avg_sq"]), "rmsprop": ("RMSPROP", ["square_avg"])}


def main():
    spec = json.loads((HERE / "kiln-training.json").read_text(encoding="utf-8"))
    if spec.get("format") != "kiln-pytorch-training-1":
        sys.exit("kiln-training.json is not a Kiln training description (format kiln-pytorch-training-1); export again.")
    settings = spec["settings"]
    args = parse_args(settings)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() if args.device == "auto" else args.device == "cuda"
    device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    if args.batch_size % world != 0:
        fail(rank, f"the batch size {args.batch_size} does not split evenly over {world} processes; "
                   f"give --batch-size {args.batch_size - args.batch_size % world or world}.")
    per_process = args.batch_size // world
    torch.manual_seed(settings["seed"] + rank)  # dropout masks; the weights come from weights.safetensors

    data = load_data(spec, rank)
    net = load_network(spec).to(device)
    parameters = spec["parameters"]
    optimizer = make_optimizer(net, parameters, settings, args.lr)
    trained = torch.nn.parallel.DistributedDataParallel(net, device_ids=[local_rank] if cuda else None) if world > 1 else net

    train_set = TensorDataset(data["x_train"], data["y_train"])
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=settings["seed"])
    loader = DataLoader(train_set, batch_size=per_process, sampler=sampler)
    out = args.out.resolve()
    if rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        print(f"{spec['project']}: {len(train_set)} training, {len(data['y_val'])} validation, {len(data['y_test'])} test samples; "
              f"{world} process{'es' if world > 1 else ''} on {'GPU' if cuda else 'CPU'} ({'NCCL' if cuda else 'gloo'} "
              f"when distributed)")
        print(f"effective batch size {args.batch_size} ({per_process} per process x {world}); learning rate {args.lr:g} "
              f"({settings['optimizer']}, {settings['schedule']} schedule), L2 {settings['l2']:g}, "
              f"{args.epochs} epochs, early-stopping patience {settings['patience']}")
        if spec["augmentation"]["steps"]:
            print("not reproduced here (train.py trains on the data without augmentation): "
                  + "; ".join(spec["augmentation"]["steps"]))

    history = []
    best_loss, best_epoch, since_best, status = math.inf, 0, 0, "completed"
    started = time.time()
    steps = 0
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.time()
        rate = learning_rate(settings, args.lr, args.epochs, epoch)
        for group in optimizer.param_groups:
            group["lr"] = rate * group["multiplier"]
        sampler.set_epoch(epoch)
        trained.train()
        sums = torch.zeros(2, dtype=torch.float64, device=device)
        for batch, (x, y) in enumerate(loader):
            if args.max_batches and batch >= args.max_batches:
                break
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = training_loss(spec, trained(x), y)
            if not torch.isfinite(loss):
                fail(rank, f"the loss became {loss.item()} at epoch {epoch}, batch {batch + 1}: training diverged; "
                           f"lower the learning rate (it is {args.lr:g}), e.g. --lr {args.lr / 10:g}.")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            steps += 1
            sums += torch.tensor([loss.item() * len(y), len(y)], dtype=torch.float64, device=device)
        if world > 1:
            dist.all_reduce(sums)
        train_loss = (sums[0] / sums[1]).item() if sums[1] > 0 else math.nan

        # Scores on rank 0 only; the validation loss goes to every rank for early stopping.
        verdict = torch.zeros(1, dtype=torch.float64, device=device)
        if rank == 0:
            _, train_accuracy = scores(spec, net, data["x_train"][:spec["train_score_samples"]],
                                       data["y_train"][:spec["train_score_samples"]], device)
            val_loss, val_accuracy = scores(spec, net, data["x_val"], data["y_val"], device)
            verdict[0] = val_loss
        if world > 1:
            dist.broadcast(verdict, 0)
        val_loss_all = verdict.item()
        best = val_loss_all < best_loss or (math.isnan(val_loss_all) and best_epoch == 0)
        if best:
            best_loss, best_epoch, since_best = val_loss_all, epoch, 0
        else:
            since_best += 1
        if rank == 0:
            history.append((epoch, train_loss, train_accuracy, val_loss, val_accuracy, time.time() - epoch_start, rate))
            save_weights(out / "checkpoint.safetensors", net, parameters, epoch, optimizer, settings, steps)
            if best:
                save_weights(out / "best.safetensors", net, parameters, epoch)
            write_metrics(out / "metrics.csv", history)
            print(f"epoch {epoch}/{args.epochs}: train loss {train_loss:.4f}, train accuracy {train_accuracy:.4f}, "
                  f"validation loss {val_loss:.4f}, validation accuracy {val_accuracy:.4f}, {time.time() - epoch_start:.1f} s",
                  flush=True)
        if settings["patience"] > 0 and since_best >= settings["patience"] and epoch < args.epochs:
            status = "early_stopped"
            break

    if rank == 0:
        if status == "early_stopped":  # as Kiln: report the best epoch's weights
            load_weights(net, parameters, out / "best.safetensors")
        test_loss, test_accuracy = scores(spec, net, data["x_test"], data["y_test"], device)
        best_test_accuracy = test_accuracy
        if status != "early_stopped" and best_epoch != len(history):
            load_weights(net, parameters, out / "best.safetensors")
            _, best_test_accuracy = scores(spec, net, data["x_test"], data["y_test"], device)
        result = {
            "format": "kiln-pytorch-run-1", "project": spec["project"], "status": status,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "epochs": len(history), "best_epoch": best_epoch, "best_validation_loss": best_loss,
            "test_loss": test_loss, "test_accuracy": test_accuracy, "best_test_accuracy": best_test_accuracy,
            "test_samples": len(data["y_test"]), "seconds": time.time() - started,
            "processes": world, "device": "cuda" if cuda else "cpu", "max_batches": args.max_batches,
            "settings": dict(settings, epochs=args.epochs, batchSize=args.batch_size, learningRate=args.lr),
            "limit_train": spec["limit_train"], "data_record": spec["data_record"],
            "torch": torch.__version__, "numpy": np.__version__, "safetensors": safetensors.__version__,
        }
        write_atomically(out / "result.json", (json.dumps(result, indent=2) + "\n").encode("utf-8"))
        print(f"test accuracy {test_accuracy:.4f} on {len(data['y_test'])} test samples "
              f"({'best' if status == 'early_stopped' else 'last'} epoch's weights)")
        print(f"test accuracy {best_test_accuracy:.4f} with the best epoch's weights (epoch {best_epoch}; "
              f"what kiln evaluate shows after import)")
        print(f"run written to {out}; bring it into Kiln with: kiln runs import <project> {out}")
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


def parse_args(settings):
    p = argparse.ArgumentParser(description="Train the exported Kiln network with PyTorch.")
    p.add_argument("--epochs", type=int, default=settings["epochs"], help="epochs (default: the project's)")
    p.add_argument("--batch-size", type=int, default=settings["batchSize"],
                   help="effective batch size over all processes (default: the project's); each process takes its share")
    p.add_argument("--lr", type=float, default=settings["learningRate"], help="learning rate (default: the project's)")
    p.add_argument("--max-batches", type=int, default=0, help="stop each epoch after this many batches (quick check)")
    p.add_argument("--out", type=Path, default=HERE / "run", help="the run folder to write (default: run/)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    args = p.parse_args()
    if args.epochs < 1 or args.batch_size < 1 or args.lr <= 0 or args.max_batches < 0:
        p.error("--epochs and --batch-size must be at least 1, --lr above 0, --max-batches 0 or more")
    return args


def fail(rank, message):
    if rank == 0:
        print("train.py: " + message, file=sys.stderr)
    sys.exit(1)


def load_data(spec, rank):
    path = HERE / spec["data"]["file"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != spec["data"]["sha256"]:
        fail(rank, f"{path.name} is not the file Kiln exported (its SHA-256 differs); export the project again.")
    with np.load(path, allow_pickle=False) as npz:
        return {key: torch.from_numpy(np.array(npz[key])) for key in npz.files}


def load_network(spec):
    net = getattr(exported, spec["model_class"])()
    tensors = load_file(HERE / "weights.safetensors")
    net.load_state_dict({key: tensors[key] for key in net.state_dict()})
    for name, param in net.named_parameters():
        param.requires_grad_(entry_of(spec["parameters"], name)["rate_multiplier"] > 0)
    return net


def entry_of(parameters, torch_name):
    for entry in parameters:
        if entry["torch"] == torch_name:
            return entry
    raise KeyError(f"{torch_name} of model.py is not in kiln-training.json; export the project again")


def make_optimizer(net, parameters, settings, lr):
    """Kiln's optimizer: L2 as weight decay on weights only, per-layer rate multipliers as parameter groups."""
    groups = {}
    for name, param in net.named_parameters():
        entry = entry_of(parameters, name)
        if entry["rate_multiplier"] <= 0:
            continue  # frozen
        key = (entry["decays"], entry["rate_multiplier"])
        groups.setdefault(key, []).append(param)
    param_groups = [{"params": ps, "weight_decay": settings["l2"] if decays else 0.0, "multiplier": m}
                    for (decays, m), ps in groups.items()]
    kind = settings["optimizer"]
    if kind == "adam":
        return torch.optim.Adam(param_groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    if kind == "rmsprop":
        return torch.optim.RMSprop(param_groups, lr=lr, alpha=0.99, eps=1e-8)
    momentum = settings["momentum"]
    return torch.optim.SGD(param_groups, lr=lr, momentum=momentum, nesterov=momentum > 0)


def learning_rate(settings, lr, epochs, epoch):
    e = epoch - 1
    if settings["schedule"] == "step":
        return lr * settings["stepFactor"] ** (e // settings["stepEpochs"])
    if settings["schedule"] == "cosine":
        return lr * 0.5 * (1 + math.cos(math.pi * e / epochs))
    return lr


def targets(spec, y, like):
    if spec["units"] == 1:
        return y.to(like.dtype).reshape(-1, 1)
    return F.one_hot(y, spec["units"]).to(like.dtype)


def training_loss(spec, out, y):
    """The mean over the batch of Kiln's objective, from the Output layer's activations."""
    if spec["loss"] == "SOFTMAX_CROSS_ENTROPY":
        return F.nll_loss(torch.log(out.clamp_min(1e-30)), y)
    if spec["loss"] == "SIGMOID_BINARY_CROSS_ENTROPY":
        return F.binary_cross_entropy(out.clamp(SCORE_EPS, 1 - SCORE_EPS), targets(spec, y, out))
    return F.mse_loss(out, targets(spec, y, out))


@torch.no_grad()
def scores(spec, net, x, y, device):
    """Loss and accuracy in inference mode, computed as Kiln's Scores does."""
    if len(y) == 0:
        return math.nan, math.nan
    was_training = net.training
    net.eval()
    loss_sum, correct = 0.0, 0
    for start in range(0, len(y), 256):
        out = net(x[start:start + 256].to(device)).double()
        labels = y[start:start + 256].to(device)
        if spec["loss"] == "SOFTMAX_CROSS_ENTROPY":
            loss_sum += -torch.log(out.gather(1, labels[:, None]).clamp_min(SCORE_EPS)).sum().item()
        elif spec["loss"] == "SIGMOID_BINARY_CROSS_ENTROPY":
            p = out.clamp(SCORE_EPS, 1 - SCORE_EPS)
            t = targets(spec, labels, out)
            loss_sum += -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean(dim=1).sum().item()
        else:
            loss_sum += ((out - targets(spec, labels, out)) ** 2).mean(dim=1).sum().item()
        predicted = (out[:, 0] >= 0.5).long() if spec["units"] == 1 else out.argmax(dim=1)
        correct += (predicted == labels).sum().item()
    net.train(was_training)
    return loss_sum / len(y), correct / len(y)


def save_weights(path, net, parameters, epoch, optimizer=None, settings=None, steps=0):
    """Kiln's weights file: Kiln's parameter names and shapes; with the optimizer, a checkpoint Kiln can continue."""
    state = net.state_dict()
    by_torch = dict(net.named_parameters())
    tensors = {e["kiln"]: state[e["torch"]].detach().float().cpu().reshape(e["shape"]).contiguous() for e in parameters}
    metadata = {"format": "kiln-weights-1", "epochs": str(epoch), "trainedWith": "PyTorch " + torch.__version__}
    if optimizer is not None:
        kind = settings["optimizer"]
        kiln_kind, names = OPTIMIZER_STATE.get(kind, ("NESTEROV", ["momentum_buffer"]) if settings["momentum"] > 0
                                               else ("SGD", []))
        for e in parameters:
            st = optimizer.state.get(by_torch.get(e["torch"]), {}) if e["learned"] else None
            for n in names if e["learned"] else []:
                value = st.get(n)  # absent for a frozen parameter, which Kiln keeps at zero
                tensors[f"optimizer.{n}.{e['kiln']}"] = (torch.zeros(e["shape"]) if value is None
                                                         else value.detach().float().cpu().reshape(e["shape"]).contiguous())
        metadata.update(optimizer=kiln_kind, optimizerSteps=str(steps))
    tmp = path.with_name(path.name + ".tmp")
    save_file(tensors, str(tmp), metadata=metadata)
    os.replace(tmp, path)


def load_weights(net, parameters, path):
    tensors = load_file(str(path))
    state = net.state_dict()
    for e in parameters:
        state[e["torch"]].copy_(tensors[e["kiln"]].reshape(state[e["torch"]].shape))


def write_metrics(path, history):
    def number(v, fmt):  # NaN and infinity spelled as Java reads them
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity") if math.isinf(v) else fmt % v
    lines = [METRICS_HEADER] + [",".join([str(row[0])] + [number(v, f) for v, f in zip(row[1:], ["%.6f"] * 4 + ["%.3f", "%.8g"])])
                                for row in history]
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))


def write_atomically(path, data):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
