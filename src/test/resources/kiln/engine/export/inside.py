"""Looks inside an exported Kiln model with PyTorch, for LookInsidePyTorchTest.

    python inside.py EXPORT_FOLDER INPUT.npz CLASS LAYER OUTPUT_LAYER OUT_DIR

INPUT.npz holds "raw", one raw sample (1, C, H, W). Writes to OUT_DIR: act_<name>.npy for every value the model's
forward() names (its locals), cam.npy (Grad-CAM of CLASS's logit at LAYER, at the layer's resolution), cam_up.npy
(brought to the input's size by bilinear interpolation, scaled to 0..1) and grad.npy (the logit's gradient with
respect to the preprocessed input). The logits are the output of module OUTPUT_LAYER, before its activation.
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

folder, input_file, cls, layer, output_layer, out = sys.argv[1:7]
cls = int(cls)
out = Path(out)
sys.path.insert(0, folder)
from model import load_model, preprocess  # noqa: E402

model = load_model()
raw = np.load(input_file)["raw"]
x = torch.from_numpy(preprocess(raw)).requires_grad_(True)

captured = {}


def keep_locals(frame, event, arg):
    if event == "return" and frame.f_code.co_name == "forward" and frame.f_locals.get("self") is model:
        captured.update({k: v for k, v in frame.f_locals.items() if isinstance(v, torch.Tensor)})


logits = {}
getattr(model, output_layer).register_forward_hook(lambda m, i, o: logits.setdefault("z", o))
sys.setprofile(keep_locals)
model(x)
sys.setprofile(None)

for name, value in captured.items():
    np.save(out / f"act_{name}.npy", value.detach().numpy().astype(np.float32).ravel())

score = logits["z"][0, cls]
feature_maps = captured[layer]
grad_maps, grad_input = torch.autograd.grad(score, [feature_maps, x])
alpha = grad_maps.mean(dim=(2, 3), keepdim=True)
cam = F.relu((alpha * feature_maps).sum(dim=1))[0]
up = F.interpolate(cam[None, None], size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]
if up.max() > 0:
    up = up / up.max()
np.save(out / "cam.npy", cam.detach().numpy().astype(np.float32).ravel())
np.save(out / "cam_up.npy", up.detach().numpy().astype(np.float32).ravel())
np.save(out / "grad.npy", grad_input.detach().numpy().astype(np.float32).ravel())
print("captured", sorted(captured))
