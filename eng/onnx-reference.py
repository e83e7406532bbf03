#!/usr/bin/python3
# Writes the reference files OnnxReferenceBenchmarks compares against (not needed by CI):
#   FOLDER/efficientnet_b0.pth, FOLDER/efficientnet_b0_torch.onnx, FOLDER/mobilenet_v2.pth, FOLDER/mobilenet_v2_torch.onnx
# torchvision's networks with random weights and random BatchNorm statistics, their state dicts, and
# torch.onnx's export of each (opset 17, symbolic batch, constant folding, the TorchScript exporter).
# Needs Debian 13's python3-torchvision and python3-onnx (apt-get install -t trixie python3-torchvision python3-onnx).
# Usage: eng/onnx-reference.py FOLDER; then EFFICIENTNET_SHARP_ONNX_REFERENCE=FOLDER dotnet run -c Release
#        --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*OnnxReferenceBenchmarks*'
import collections
import os
import sys

import onnx
import torch
import torchvision

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
torch.manual_seed(0)
for name, build in [("efficientnet_b0", torchvision.models.efficientnet_b0), ("mobilenet_v2", torchvision.models.mobilenet_v2)]:
    model = build()
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.normal_(0, 0.1)
            module.running_var.uniform_(0.5, 2.0)
    model.eval()
    torch.save(model.state_dict(), os.path.join(folder, f"{name}.pth"))
    path = os.path.join(folder, f"{name}_torch.onnx")
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=17, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True, dynamo=False)
    graph = onnx.load(path).graph
    print(name, len(graph.node), dict(collections.Counter(node.op_type for node in graph.node)))
