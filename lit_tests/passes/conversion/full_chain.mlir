// RUN: ge-opt %s --split-input-file -p convert-graph-to-stream,convert-stream-to-memory | filecheck %s
// Running the two passes one after the other through text gives the same result.
// RUN: ge-opt %s --split-input-file -p convert-graph-to-stream | ge-opt --split-input-file -p convert-stream-to-memory | filecheck %s

// graph -> stream -> memory on matmul + bias + gelu with two weights.
// Tasks: 0 copy fc.weight, 1 copy fc.bias, 2 matmul, 3 add, 4 gelu; end = 5.

// CHECK-LABEL: stream.kernel @mlp_k0_matmul attributes {unit = "cube", cube_flops = 48 : i64, gemm = array<i64: 1, 2, 4, 3>} {
// CHECK: stream.kernel @mlp_k1_add attributes {vector_flops = 8 : i64} {
// CHECK: stream.kernel @mlp_k2_gelu attributes {vector_flops = 112 : i64} {
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
// CHECK-NEXT: [[OUT:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 4, 5>} : memref<2x4xf32>
// CHECK-NEXT: [[TW:%.*]] = stream.copy "h2d" [[WH]] to [[WD]] : memref<3x4xf32> to memref<3x4xf32>
// CHECK-NEXT: [[TB:%.*]] = stream.copy "h2d" [[BH]] to [[BD]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT: stream.launch @mlp_k0_matmul([[X]], [[WD]]) outs([[MM]]) await([[TW]]) : (memref<2x3xf32>, memref<3x4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: stream.launch @mlp_k1_add([[MM]], [[BD]]) outs([[ADD]]) await([[TB]]) : (memref<2x4xf32>, memref<4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: stream.launch @mlp_k2_gelu([[ADD]]) outs([[OUT]]) : (memref<2x4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: func.return
// CHECK-NEXT: }
// CHECK-NOT: graph.weight
func.func @mlp(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "fc.weight" : tensor<3x4xf32>
  %b = graph.weight "fc.bias" : tensor<4xf32>
  %0 = graph.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = graph.add %0, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %2 = graph.gelu %1 : tensor<2x4xf32>
  func.return %2 : tensor<2x4xf32>
}

// -----

// Streams survive to buffer form: the cross-stream await becomes an await of the
// buffer-form launch; a constant kernel writes into an activations buffer; a value returned
// twice is copied twice to the outputs arena (tasks 3 and 4; end = 5).

// CHECK-LABEL: stream.kernel @two_k0_constant attributes {unit = "none"} {
// CHECK: func.func @two() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 1>} : memref<8xf32>
// CHECK-NEXT: [[C:%.*]] = memory.buffer @activations[0] {lifetime = array<i64: 0, 1>} : memref<8xf32>
// CHECK-NEXT: [[E:%.*]] = memory.buffer @activations[512] {lifetime = array<i64: 1, 5>} : memref<8xf32>
// CHECK-NEXT: [[S:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 2, 5>} : memref<8xf32>
// CHECK-NEXT: [[O1:%.*]] = memory.buffer @outputs[512] {binding = "output:1", lifetime = array<i64: 3, 5>} : memref<8xf32>
// CHECK-NEXT: [[O2:%.*]] = memory.buffer @outputs[1024] {binding = "output:2", lifetime = array<i64: 4, 5>} : memref<8xf32>
// CHECK-NEXT: [[TC:%.*]] = stream.launch @two_k0_constant() outs([[C]]) : () outs(memref<8xf32>) -> ()
// CHECK-NEXT: [[TE:%.*]] = stream.launch @two_k1_mul([[X]], [[C]]) outs([[E]]) await([[TC]]) {pinned, stream = 1 : i64} : (memref<8xf32>, memref<8xf32>) outs(memref<8xf32>) -> ()
// CHECK-NEXT: stream.launch @two_k2_sigmoid([[E]]) outs([[S]]) await([[TE]]) : (memref<8xf32>) outs(memref<8xf32>) -> ()
// CHECK-NEXT: stream.copy "d2d" [[E]] to [[O1]] await([[TE]]) : memref<8xf32> to memref<8xf32>
// CHECK-NEXT: stream.copy "d2d" [[E]] to [[O2]] await([[TE]]) : memref<8xf32> to memref<8xf32>
// CHECK-NEXT: func.return
func.func @two(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %c = graph.constant dense<2.0> : tensor<8xf32>
  %0 = graph.mul %x, %c {stream_id = 1 : i64} : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %1 = graph.sigmoid %0 : tensor<8xf32>
  func.return %1, %0, %0 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
