// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | ge-opt --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC

// stream.launch in buffer form: memref arguments, results written into `outs(...)`
// destinations, no tensor results (only the timepoint). Kernels keep their tensor signature;
// a memref matches a tensor of the same shape and element type.

stream.kernel @mm attributes {unit = "cube", cube_flops = 48 : i64} {
^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @split attributes {unit = "none"} {
^bb0(%in: tensor<2x4xf32>):
  %0, %1 = graph.split %in {axis = 1 : i64} : tensor<2x4xf32> -> tensor<2x1xf32>, tensor<2x3xf32>
  stream.yield %0, %1 : tensor<2x1xf32>, tensor<2x3xf32>
}
stream.kernel @cst attributes {unit = "none"} {
  %c = graph.constant dense<0.5> : tensor<2x3xf32>
  stream.yield %c : tensor<2x3xf32>
}
memory.arena @inputs {size = 1024 : i64}
memory.arena @acts {size = 2048 : i64}

// CHECK-LABEL: func.func @buffer_form() {
// CHECK-NEXT: [[A:%.*]] = memory.buffer @inputs[0] : memref<2x3xf32>
// CHECK-NEXT: [[B:%.*]] = memory.buffer @inputs[512] : memref<3x4xf32>
// CHECK-NEXT: [[O:%.*]] = memory.buffer @acts[0] : memref<2x4xf32>
// CHECK-NEXT: [[S0:%.*]] = memory.buffer @acts[512] : memref<2x1xf32>
// CHECK-NEXT: [[S1:%.*]] = memory.buffer @acts[1024] : memref<2x3xf32>
// CHECK-NEXT: [[T0:%.*]] = stream.launch @mm([[A]], [[B]]) outs([[O]]) : (memref<2x3xf32>, memref<3x4xf32>) outs(memref<2x4xf32>) -> ()
// CHECK-NEXT: [[T1:%.*]] = stream.launch @split([[O]]) outs([[S0]], [[S1]]) await([[T0]]) {stream = 1 : i64, block_dim = 2 : i64} : (memref<2x4xf32>) outs(memref<2x1xf32>, memref<2x3xf32>) -> ()
// CHECK-NEXT: {{%.*}} = stream.launch @cst() outs([[A]]) await([[T0]], [[T1]]) : () outs(memref<2x3xf32>) -> ()
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "buffer_form", function_type = () -> ()}> ({
// CHECK-GENERIC-NEXT: [[A:%.*]] = "memory.buffer"() <{arena = @inputs, offset = 0 : i64}> : () -> memref<2x3xf32>
// CHECK-GENERIC-NEXT: [[B:%.*]] = "memory.buffer"() <{arena = @inputs, offset = 512 : i64}> : () -> memref<3x4xf32>
// CHECK-GENERIC-NEXT: [[O:%.*]] = "memory.buffer"() <{arena = @acts, offset = 0 : i64}> : () -> memref<2x4xf32>
// CHECK-GENERIC-NEXT: [[S0:%.*]] = "memory.buffer"() <{arena = @acts, offset = 512 : i64}> : () -> memref<2x1xf32>
// CHECK-GENERIC-NEXT: [[S1:%.*]] = "memory.buffer"() <{arena = @acts, offset = 1024 : i64}> : () -> memref<2x3xf32>
// CHECK-GENERIC-NEXT: [[T0:%.*]] = "stream.launch"([[A]], [[B]], [[O]]) <{kernel = @mm, operandSegmentSizes = array<i32: 2, 1, 0>, stream = 0 : i64}> : (memref<2x3xf32>, memref<3x4xf32>, memref<2x4xf32>) -> !stream.timepoint
// CHECK-GENERIC-NEXT: [[T1:%.*]] = "stream.launch"([[O]], [[S0]], [[S1]], [[T0]]) <{kernel = @split, stream = 1 : i64, block_dim = 2 : i64, operandSegmentSizes = array<i32: 1, 2, 1>}> : (memref<2x4xf32>, memref<2x1xf32>, memref<2x3xf32>, !stream.timepoint) -> !stream.timepoint
// CHECK-GENERIC-NEXT: "stream.launch"([[A]], [[T0]], [[T1]]) <{kernel = @cst, operandSegmentSizes = array<i32: 0, 1, 2>, stream = 0 : i64}> : (memref<2x3xf32>, !stream.timepoint, !stream.timepoint) -> !stream.timepoint
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @buffer_form() {
  %a = memory.buffer @inputs[0] : memref<2x3xf32>
  %b = memory.buffer @inputs[512] : memref<3x4xf32>
  %o = memory.buffer @acts[0] : memref<2x4xf32>
  %s0 = memory.buffer @acts[512] : memref<2x1xf32>
  %s1 = memory.buffer @acts[1024] : memref<2x3xf32>
  %t0 = stream.launch @mm(%a, %b) outs(%o) : (memref<2x3xf32>, memref<3x4xf32>) outs(memref<2x4xf32>) -> ()
  %t1 = stream.launch @split(%o) outs(%s0, %s1) await(%t0) {stream = 1 : i64, block_dim = 2 : i64} : (memref<2x4xf32>) outs(memref<2x1xf32>, memref<2x3xf32>) -> ()
  %t2 = stream.launch @cst() outs(%a) await(%t0, %t1) : () outs(memref<2x3xf32>) -> ()
  func.return
}

// -----

// Buffer form over memref function arguments (no arena needed for the verifier).

stream.kernel @add {
^bb0(%x: tensor<8xbf16>, %y: tensor<8xbf16>):
  %0 = graph.add %x, %y : tensor<8xbf16>, tensor<8xbf16> -> tensor<8xbf16>
  stream.yield %0 : tensor<8xbf16>
}

// CHECK-LABEL: func.func @memref_args(%x: memref<8xbf16>, %y: memref<8xbf16>, %out: memref<8xbf16>, %ready: !stream.timepoint) -> !stream.timepoint {
// CHECK-NEXT: [[T:%.*]] = stream.launch @add(%x, %y) outs(%out) await(%ready) {stream = 7 : i64} : (memref<8xbf16>, memref<8xbf16>) outs(memref<8xbf16>) -> ()
// CHECK-NEXT: func.return [[T]] : !stream.timepoint
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "memref_args"
// CHECK-GENERIC: "stream.launch"(%x, %y, %out, %ready) <{kernel = @add, stream = 7 : i64, operandSegmentSizes = array<i32: 2, 1, 1>}> : (memref<8xbf16>, memref<8xbf16>, memref<8xbf16>, !stream.timepoint) -> !stream.timepoint
func.func @memref_args(%x: memref<8xbf16>, %y: memref<8xbf16>, %out: memref<8xbf16>, %ready: !stream.timepoint) -> !stream.timepoint {
  %t = stream.launch @add(%x, %y) outs(%out) await(%ready) {stream = 7 : i64} : (memref<8xbf16>, memref<8xbf16>) outs(memref<8xbf16>) -> ()
  func.return %t : !stream.timepoint
}
