// RUN: ge-opt %s --split-input-file -p convert-stream-to-memory | filecheck %s
// The output is valid memory-level IR that re-parses and prints the same.
// RUN: ge-opt %s --split-input-file -p convert-stream-to-memory | ge-opt --split-input-file | filecheck %s

// convert-stream-to-memory: five arenas (inputs, outputs, weights_host (host), weights,
// activations), sizes aligned to 512; every tensor gets a memory.buffer placed end to end
// (each offset aligned to 512) with its lifetime [first task, last task] and a binding where
// it meets the outside world (input:i, output:j, weight:name); tasks are rewritten in buffer
// form (results become outs); the function loses its arguments and results.

// Task indices: 0 copy w, 1 copy b, 2 matmul, 3 add, 4 gelu; returned values live until 5.

stream.kernel @mm attributes {unit = "cube", cube_flops = 48 : i64} {
^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @add attributes {vector_flops = 8 : i64} {
^bb0(%a: tensor<2x4xf32>, %b: tensor<4xf32>):
  %0 = graph.add %a, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @gelu attributes {vector_flops = 112 : i64} {
^bb0(%a: tensor<2x4xf32>):
  %0 = graph.gelu %a : tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}

// Kernels are untouched; arenas are inserted before the function.
// CHECK-LABEL: stream.kernel @mm attributes {unit = "cube", cube_flops = 48 : i64} {
// CHECK: stream.kernel @gelu attributes {vector_flops = 112 : i64} {
// CHECK-NEXT: ^bb0({{%.*}}: tensor<2x4xf32>):
// CHECK: memory.arena @inputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @outputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 1024 : i64}
// CHECK-NEXT: memory.arena @weights {size = 1024 : i64}
// CHECK-NEXT: memory.arena @activations {size = 1024 : i64}
// CHECK-NEXT: func.func @mlp() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 2>} : memref<2x3xf32>
// CHECK-NEXT: [[WH:%.*]] = memory.buffer @weights_host[0] {binding = "weight:fc.weight", lifetime = array<i64: 0, 0>} : memref<3x4xf32>
// CHECK-NEXT: [[WD:%.*]] = memory.buffer @weights[0] {lifetime = array<i64: 0, 2>} : memref<3x4xf32>
// CHECK-NEXT: [[BH:%.*]] = memory.buffer @weights_host[512] {binding = "weight:fc.bias", lifetime = array<i64: 0, 1>} : memref<4xf32>
// CHECK-NEXT: [[BD:%.*]] = memory.buffer @weights[512] {lifetime = array<i64: 1, 3>} : memref<4xf32>
// CHECK-NEXT: [[MM:%.*]] = memory.buffer @activations[0] {lifetime = array<i64: 2, 3>} : memref<2x4xf32>
// CHECK-NEXT: [[ADD:%.*]] = memory.buffer @activations[512] {lifetime = array<i64: 3, 4>} : memref<2x4xf32>
// The returned value is written in place into the outputs arena by its launch.
// CHECK-NEXT: [[OUT:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 4, 5>} : memref<2x4xf32>
// CHECK-NEXT: [[T0:%.*]] = stream.copy "h2d" [[WH]] to [[WD]] {queue = 1 : i64} : memref<3x4xf32> to memref<3x4xf32>
// CHECK-NEXT: [[T1:%.*]] = stream.copy "h2d" [[BH]] to [[BD]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT: [[T2:%.*]] = stream.launch @mm([[X]], [[WD]]) outs([[MM]]) await([[T0]]) {block_dim = 4 : i64} : (memref<2x3xf32>, memref<3x4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: [[T3:%.*]] = stream.launch @add([[MM]], [[BD]]) outs([[ADD]]) await([[T1]], [[T2]]) {stream = 1 : i64} : (memref<2x4xf32>, memref<4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: {{%.*}} = stream.launch @gelu([[ADD]]) outs([[OUT]]) await([[T3]]) : (memref<2x4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: func.return
// CHECK-NEXT: }
// CHECK-NOT: graph.weight
func.func @mlp(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "fc.weight" : tensor<3x4xf32>
  %wd, %t0 = stream.copy "h2d" %w {queue = 1 : i64} : tensor<3x4xf32> -> tensor<3x4xf32>
  %b = graph.weight "fc.bias" : tensor<4xf32>
  %bd, %t1 = stream.copy "h2d" %b : tensor<4xf32> -> tensor<4xf32>
  %0, %t2 = stream.launch @mm(%x, %wd) await(%t0) {block_dim = 4 : i64} : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>)
  %1, %t3 = stream.launch @add(%0, %bd) await(%t1, %t2) {stream = 1 : i64} : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>)
  %2, %t4 = stream.launch @gelu(%1) await(%t3) : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  func.return %2 : tensor<2x4xf32>
}

// -----

// Sizes and offsets round up to 512: tensor<130xf32> is 520 bytes, so the next buffer of its
// arena starts at 1024. An unused argument still gets a buffer (lifetime [0, 0]); f16 and i8
// element sizes. Tasks: 0 relu, 1 neg, 2 exp; end = 3.

stream.kernel @relu {
^bb0(%a: tensor<130xf32>):
  %0 = graph.relu %a : tensor<130xf32>
  stream.yield %0 : tensor<130xf32>
}
stream.kernel @neg {
^bb0(%a: tensor<130xf32>):
  %0 = graph.neg %a : tensor<130xf32>
  stream.yield %0 : tensor<130xf32>
}
stream.kernel @cast {
^bb0(%a: tensor<130xf32>):
  %0 = graph.cast %a : tensor<130xf32> -> tensor<130xf16>
  stream.yield %0 : tensor<130xf16>
}

// CHECK-LABEL: memory.arena @inputs {size = 1536 : i64}
// CHECK-NEXT: memory.arena @outputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 0 : i64}
// CHECK-NEXT: memory.arena @weights {size = 0 : i64}
// CHECK-NEXT: memory.arena @activations {size = 2048 : i64}
// CHECK-NEXT: func.func @sizes() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 0>} : memref<130xf32>
// CHECK-NEXT: {{%.*}} = memory.buffer @inputs[1024] {binding = "input:1", lifetime = array<i64: 0, 0>} : memref<3xi8>
// CHECK-NEXT: [[A:%.*]] = memory.buffer @activations[0] {lifetime = array<i64: 0, 1>} : memref<130xf32>
// CHECK-NEXT: [[B:%.*]] = memory.buffer @activations[1024] {lifetime = array<i64: 1, 2>} : memref<130xf32>
// CHECK-NEXT: [[C:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 2, 3>} : memref<130xf16>
// CHECK-NEXT: stream.launch @relu([[X]]) outs([[A]]) : (memref<130xf32>) outs(memref<130xf32>) -> ()
// CHECK-NEXT: stream.launch @neg([[A]]) outs([[B]]) : (memref<130xf32>) outs(memref<130xf32>) -> ()
// CHECK-NEXT: stream.launch @cast([[B]]) outs([[C]]) : (memref<130xf32>) outs(memref<130xf16>) -> ()
// CHECK-NEXT: func.return
func.func @sizes(%x: tensor<130xf32>, %unused: tensor<3xi8>) -> tensor<130xf16> {
  %a, %t0 = stream.launch @relu(%x) : (tensor<130xf32>) -> (tensor<130xf32>)
  %b, %t1 = stream.launch @neg(%a) : (tensor<130xf32>) -> (tensor<130xf32>)
  %c, %t2 = stream.launch @cast(%b) : (tensor<130xf32>) -> (tensor<130xf16>)
  func.return %c : tensor<130xf16>
}

// -----

// A multi-result launch: each result gets its own buffer (one in place in outputs, one in
// activations); declarations are ignored. Output bindings follow the return order.

stream.kernel @split attributes {unit = "none"} {
^bb0(%in: tensor<4x6xf16>):
  %0, %1 = graph.split %in {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
  stream.yield %0, %1 : tensor<4x2xf16>, tensor<4x4xf16>
}
stream.kernel @tanh {
^bb0(%a: tensor<4x4xf16>):
  %0 = graph.tanh %a : tensor<4x4xf16>
  stream.yield %0 : tensor<4x4xf16>
}

// CHECK-LABEL: func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
// CHECK: memory.arena @inputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @outputs {size = 1024 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 0 : i64}
// CHECK-NEXT: memory.arena @weights {size = 0 : i64}
// CHECK-NEXT: memory.arena @activations {size = 512 : i64}
// CHECK-NEXT: func.func @multi() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 0>} : memref<4x6xf16>
// CHECK-NEXT: [[P0:%.*]] = memory.buffer @outputs[0] {binding = "output:1", lifetime = array<i64: 0, 2>} : memref<4x2xf16>
// CHECK-NEXT: [[P1:%.*]] = memory.buffer @activations[0] {lifetime = array<i64: 0, 1>} : memref<4x4xf16>
// CHECK-NEXT: [[T:%.*]] = memory.buffer @outputs[512] {binding = "output:0", lifetime = array<i64: 1, 2>} : memref<4x4xf16>
// CHECK-NEXT: [[T0:%.*]] = stream.launch @split([[X]]) outs([[P0]], [[P1]]) {stream = 2 : i64} : (memref<4x6xf16>) outs(memref<4x2xf16>, memref<4x4xf16>) -> ()
// CHECK-NEXT: stream.launch @tanh([[P1]]) outs([[T]]) await([[T0]]) {stream = 3 : i64} : (memref<4x4xf16>) outs(memref<4x4xf16>) -> ()
// CHECK-NEXT: func.return
func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
func.func @multi(%x: tensor<4x6xf16>) -> (tensor<4x4xf16>, tensor<4x2xf16>) {
  %0, %1, %t0 = stream.launch @split(%x) {stream = 2 : i64} : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>)
  %2, %t1 = stream.launch @tanh(%1) await(%t0) {stream = 3 : i64} : (tensor<4x4xf16>) -> (tensor<4x4xf16>)
  func.return %2, %0 : tensor<4x4xf16>, tensor<4x2xf16>
}
